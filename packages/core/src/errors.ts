/**
 * The closed catalogue of domain errors, each with the message it answers unless its throw site
 * says more (a field, a limit). Each transport maps every code exactly once
 * (`satisfies Record<ErrorCode, …>`), so adding a code fails to compile until it is mapped.
 */
export const ERROR_MESSAGES = {
  INVALID_INPUT: 'invalid input',
  MFA_NOT_ENABLED: 'MFA is not enabled',
  RECOVERY_EMAIL_REQUIRED: 'set a recovery email before enabling MFA',
  ENROLLMENT_MISMATCH: 'secret and recovery codes must be those of the latest generate, within 15 minutes',
  UNAUTHENTICATED: 'missing, invalid or expired session',
  INVALID_CREDENTIALS: 'invalid username or password',
  MFA_REQUIRED: 'multi-factor authentication required',
  INVALID_MFA_TOKEN: 'MFA token is invalid, expired or used',
  INVALID_CODE: 'invalid code',
  // The same words as INVALID_CODE: only the code tells a replay apart (docs/contract.md § TOTP).
  CODE_REPLAYED: 'invalid code',
  PROOF_REJECTED: 'the proof was rejected',
  CSRF_REJECTED: 'a request authenticated by cookie must send x-twofold-csrf: 1',
  REAUTHENTICATION_REQUIRED:
    'confirm your password (and a code from your authenticator when MFA is on) to continue',
  MFA_ENROLLMENT_REQUIRED:
    'this service requires a second factor: set one up (TOTP or a security key) to continue',
  ACCOUNT_DISABLED: 'this account has been disabled by an operator',
  INSUFFICIENT_SCOPE: 'this admin key lacks the scope this needs',
  NOT_FOUND: 'not found',
  METHOD_NOT_ALLOWED: 'method not allowed on this path',
  MFA_ALREADY_ENABLED: 'MFA is already enabled; disable it first',
  EMAIL_TAKEN: 'email is already registered',
  USERNAME_TAKEN: 'username is already taken',
  PAYLOAD_TOO_LARGE: 'request body too large',
  UNSUPPORTED_MEDIA_TYPE: 'content type must be application/json',
  INVALID_ASSERTION: 'the security key was not accepted',
  CREDENTIAL_ALREADY_REGISTERED: 'this security key is registered already',
  CREDENTIAL_NOT_FOUND: 'no such security key',
  SESSION_NOT_FOUND: 'no such session',
  TRUSTED_DEVICE_NOT_FOUND: 'no such trusted device',
  NO_WEBAUTHN_CREDENTIAL: 'this account has no security key; use a code',
  TOO_MANY_ATTEMPTS: 'too many failed attempts; try again later',
  SERVICE_UNAVAILABLE: 'the service is temporarily unavailable; try again',
  INTERNAL: 'internal server error',
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export const ERROR_CODES = Object.keys(ERROR_MESSAGES) as readonly ErrorCode[];

export interface LockoutDetails {
  /** Epoch seconds at which the lock ends. */
  lockedUntilSeconds: number;
  /** Seconds from now until the lock ends (≥ 1). */
  retryAfterSeconds: number;
}

export interface DomainErrorOptions {
  fields?: Record<string, string>;
  lockout?: LockoutDetails;
  /** Seconds a client should wait before trying again (503), when there is no lockout. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly fields: Record<string, string> | undefined;
  readonly lockout: LockoutDetails | undefined;
  readonly retryAfterSeconds: number | undefined;

  /** Without a message, the code's own (ERROR_MESSAGES). */
  constructor(code: ErrorCode, message: string = ERROR_MESSAGES[code], options: DomainErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'DomainError';
    this.code = code;
    this.fields = options.fields;
    this.lockout = options.lockout;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
