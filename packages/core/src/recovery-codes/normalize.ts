import { z } from 'zod';
import { RECOVERY_CODE_COUNT, RECOVERY_CODE_LENGTH } from './constants.js';

/** Case-insensitive; spaces and dashes (as people copy or group codes) are ignored. */
export function normalizeRecoveryCode(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}

const BASE32_CODE = new RegExp(`^[A-Z2-7]{${RECOVERY_CODE_LENGTH}}$`);

/** A recovery code as typed, normalized; anything but 16 base32 characters is malformed. */
export const ZRecoveryCode = z
  .string()
  .max(64, 'must be at most 64 characters')
  .transform(normalizeRecoveryCode)
  .pipe(z.string().regex(BASE32_CODE, `must be ${RECOVERY_CODE_LENGTH} base32 characters`));

/**
 * The recovery codes a user is shown once: exactly six, each 16 base32 characters. The exact
 * count is part of the answer's schema, so a typed client passes generate's codes to enable
 * (which takes exactly six) as they are.
 */
export const ZIssuedRecoveryCodes = z.array(z.string().regex(BASE32_CODE)).length(RECOVERY_CODE_COUNT);
