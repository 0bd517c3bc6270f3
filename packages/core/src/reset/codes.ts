import { z } from 'zod';
import type { Random } from '../random.js';

/** docs/contract.md: uppercase letters and digits without look-alikes (no 0, O, 1, I). */
export const RESET_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const RESET_CODE_LENGTH = 5;

export function generateResetCode(random: Random): string {
  let code = '';
  for (let i = 0; i < RESET_CODE_LENGTH; i++)
    code += RESET_CODE_ALPHABET[random.int(RESET_CODE_ALPHABET.length)];
  return code;
}

/** An emailed reset code as typed: case-insensitive, surrounding spaces ignored. */
export const ZResetCode = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase())
  .pipe(
    z
      .string()
      .regex(
        new RegExp(`^[${RESET_CODE_ALPHABET}]{${RESET_CODE_LENGTH}}$`),
        `must be ${RESET_CODE_LENGTH} characters of ${RESET_CODE_ALPHABET}`,
      ),
  );
