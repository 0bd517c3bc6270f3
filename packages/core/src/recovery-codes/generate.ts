import { encodeBase32 } from '../crypto/base32.js';
import type { Random } from '../random.js';
import { RECOVERY_CODE_BYTES, RECOVERY_CODE_COUNT } from './constants.js';

/** Six fresh recovery codes, each 80 random bits as 16 RFC 4648 base32 characters. */
export function generateRecoveryCodes(random: Random): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => encodeBase32(random.bytes(RECOVERY_CODE_BYTES)));
}
