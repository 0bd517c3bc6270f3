import type { ErrorCode } from '@twofold/core';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The one mapping of domain errors onto REST status codes (docs/contract.md § Conventions). */
export const HTTP_STATUS_OF = {
  INVALID_INPUT: 400,
  MFA_NOT_ENABLED: 400,
  RECOVERY_EMAIL_REQUIRED: 400,
  ENROLLMENT_MISMATCH: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  MFA_REQUIRED: 401,
  INVALID_MFA_TOKEN: 401,
  INVALID_CODE: 401,
  CODE_REPLAYED: 401,
  PROOF_REJECTED: 403,
  CSRF_REJECTED: 403,
  REAUTHENTICATION_REQUIRED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  MFA_ALREADY_ENABLED: 409,
  EMAIL_TAKEN: 409,
  USERNAME_TAKEN: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_ATTEMPTS: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
} as const satisfies Record<ErrorCode, ContentfulStatusCode>;
