import type { Core, RequestMeta } from '../context.js';
import { dummySlowHash, slowVerify } from '../crypto/slow-hash.js';
import { RECOVERY_CODE_COUNT } from './constants.js';
import { normalizeRecoveryCode } from './normalize.js';

export interface HashedCode {
  id: string;
  codeHash: string;
}

/**
 * Finds which stored code `code` is. Always verifies against the same number of hashes
 * (padding with a dummy), so the time taken says nothing about how many codes are left
 * or whether the account exists.
 */
export async function matchRecoveryCode(
  core: Core,
  meta: RequestMeta,
  candidates: readonly HashedCode[],
  code: string,
): Promise<HashedCode | undefined> {
  const normalized = normalizeRecoveryCode(code);
  const dummy = await dummySlowHash(core);
  const padded = [...candidates];
  while (padded.length < RECOVERY_CODE_COUNT) padded.push({ id: '', codeHash: dummy });
  const results = await slowVerify(
    core,
    meta,
    padded.map((c) => [c.codeHash, normalized] as const),
  );
  return padded.find((c, i) => results[i] && c.id !== '');
}
