export interface DevMailboxConditions {
  isSmtpConfigured: boolean;
  isProduction: boolean;
  /** TRUST_PROXY is set: a proxy on the same host would make internet requests look local. */
  isProxyTrusted: boolean;
}

/**
 * docs/contract.md § Email: the development mailbox shows reset codes, so it exists only when
 * no SMTP server is configured, outside production, and with no trusted proxy in front. Each
 * request must then still come straight from a loopback peer (the transport checks that).
 */
export function isDevMailboxAllowed(conditions: DevMailboxConditions): boolean {
  return !conditions.isSmtpConfigured && !conditions.isProduction && !conditions.isProxyTrusted;
}
