/**
 * The closed catalogue of domain errors. Each transport maps every code exactly once
 * (`satisfies Record<ErrorCode, …>`), so adding a code fails to compile until it is mapped.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'MFA_NOT_ENABLED',
  'RECOVERY_EMAIL_REQUIRED',
  'ENROLLMENT_MISMATCH',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'MFA_REQUIRED',
  'INVALID_MFA_TOKEN',
  'INVALID_CODE',
  'CODE_REPLAYED',
  'PROOF_REJECTED',
  'CSRF_REJECTED',
  'REAUTHENTICATION_REQUIRED',
  'MFA_ENROLLMENT_REQUIRED',
  'ACCOUNT_DISABLED',
  'INSUFFICIENT_SCOPE',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'MFA_ALREADY_ENABLED',
  'EMAIL_TAKEN',
  'USERNAME_TAKEN',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INVALID_ASSERTION',
  'CREDENTIAL_ALREADY_REGISTERED',
  'CREDENTIAL_NOT_FOUND',
  'SESSION_NOT_FOUND',
  'TRUSTED_DEVICE_NOT_FOUND',
  'NO_WEBAUTHN_CREDENTIAL',
  'TOO_MANY_ATTEMPTS',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface LockoutDetails {
  /** Epoch seconds at which the lock ends. */
  lockedUntil: number;
  /** Seconds from now until the lock ends (≥ 1). */
  retryAfter: number;
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

  constructor(code: ErrorCode, message: string, options: DomainErrorOptions = {}) {
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
