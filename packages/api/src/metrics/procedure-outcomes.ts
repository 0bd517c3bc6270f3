import type { ErrorCode } from '@twofold/core';

/** The procedures whose outcome is a login (the first step, or a whole passwordless one). */
export const LOGIN_PROCEDURES: Readonly<Record<string, string>> = {
  'auth.login': 'password',
  'mfa.webauthn.login': 'passkey',
};

/** The procedures that answer a login's second step, or stand in for it (recovery, email reset). */
export const SECOND_STEP_PROCEDURES: Readonly<Record<string, string>> = {
  'mfa.auth': 'totp',
  'mfa.webauthn.auth': 'webauthn',
  'mfa.recover': 'recovery_code',
  'mfa.reset': 'email_codes',
};

/**
 * The outcome label of one call: `success`, `mfa_required` (a password login that needs its
 * second step), or the domain error code in lower case. The error catalogue is closed, so the
 * label has a fixed set of values.
 */
export function outcomeOf(result: { ok: true; data: unknown } | { ok: false; code: ErrorCode }): string {
  if (!result.ok) return result.code.toLowerCase();
  const status = (result.data as { status?: unknown } | null | undefined)?.status;
  return status === 'mfa_required' ? 'mfa_required' : 'success';
}
