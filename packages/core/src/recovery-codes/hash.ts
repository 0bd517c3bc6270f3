import type { Core, RequestMeta } from '../context.js';
import { slowHash } from '../crypto/slow-hash.js';
import { normalizeRecoveryCode } from './normalize.js';

/**
 * argon2id with a per-hash salt: 80 bits is under NIST SP 800-63B-4 §3.1.2.2's 112, so a
 * fast hash would be open to offline guessing. All six go through the hash queue as one request.
 */
export function hashRecoveryCodes(
  core: Core,
  meta: RequestMeta,
  codes: readonly string[],
): Promise<string[]> {
  return slowHash(core, meta, codes.map(normalizeRecoveryCode));
}
