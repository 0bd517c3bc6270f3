import { z } from 'zod';
import { TOTP_DIGITS } from './constants.js';

/** A TOTP code as typed: six digits (surrounding spaces tolerated). */
export const ZTotpCode = z
  .string()
  .trim()
  .regex(new RegExp(`^\\d{${TOTP_DIGITS}}$`), `must be ${TOTP_DIGITS} digits`);
