/** How a session's login was proven, shown in the user's session list (docs/contract.md § Sessions). */
export const SESSION_METHODS = [
  'registration',
  'password',
  'password_totp',
  'password_webauthn',
  'password_trusted_device',
  'passkey',
  'recovery_code',
  'email_reset',
] as const;

export type SessionMethod = (typeof SESSION_METHODS)[number];
