import { z } from 'zod';
import type { Random } from '../random.js';
import { RESET_CODE_ALPHABET } from '../reset/codes.js';
import { hasNoNul, NO_NUL_MESSAGE } from '../users/schemas.js';

/**
 * The typed code of a forgotten-password mail: the reset codes' alphabet (no look-alikes), 8
 * characters (40 bits). A request dies for a client address after 5 wrong tries, so guessing
 * it stays hopeless; stored as argon2id like every email code (docs/contract.md § Conventions).
 */
export const PASSWORD_RESET_CODE_LENGTH = 8;
/** The link's token: 256 bits, stored as a keyed fast hash (docs/contract.md § Conventions). */
const PASSWORD_RESET_TOKEN_BYTES = 32;

export function generatePasswordResetCode(random: Random): string {
  let code = '';
  for (let i = 0; i < PASSWORD_RESET_CODE_LENGTH; i++)
    code += RESET_CODE_ALPHABET[random.int(RESET_CODE_ALPHABET.length)];
  return code;
}

export function generatePasswordResetToken(random: Random): string {
  return Buffer.from(random.bytes(PASSWORD_RESET_TOKEN_BYTES)).toString('base64url');
}

/** The code as typed: case-insensitive, spaces and dashes ignored. */
export const ZPasswordResetCode = z
  .string()
  .max(64, 'must be at most 64 characters')
  .transform((value) => value.replace(/[\s-]/g, '').toUpperCase())
  .pipe(
    z
      .string()
      .regex(
        new RegExp(`^[${RESET_CODE_ALPHABET}]{${PASSWORD_RESET_CODE_LENGTH}}$`),
        `must be ${PASSWORD_RESET_CODE_LENGTH} characters of ${RESET_CODE_ALPHABET}`,
      ),
  );

/** The link's token as sent back; its shape is not checked beyond bounds (unknown ones answer 401). */
export const ZPasswordResetToken = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .refine(hasNoNul, NO_NUL_MESSAGE);
