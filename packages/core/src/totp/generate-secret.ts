import { encodeBase32 } from '../crypto/base32.js';
import type { Random } from '../random.js';
import { TOTP_SECRET_BYTES } from './constants.js';

/** A fresh 160-bit TOTP secret, base32 without padding (32 characters). */
export function generateTotpSecret(random: Random): string {
  return encodeBase32(random.bytes(TOTP_SECRET_BYTES));
}
