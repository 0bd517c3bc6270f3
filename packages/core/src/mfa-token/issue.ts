import type { Core } from '../context.js';
import { hashToken } from '../crypto/token-hash.js';
import type { Tx } from '../store/store.js';

/** docs/contract.md: the X-MFA-Token lives 5 minutes. */
export const MFA_TOKEN_TTL_SECONDS = 5 * 60;

/** Random (UUID v4, 122 bits), bound to the user; only its keyed hash is stored. */
export async function issueMfaToken(core: Core, tx: Tx, userId: string): Promise<string> {
  const token = core.random.uuid();
  const now = core.clock.now();
  await tx.mfaTokens.insert({
    tokenHash: hashToken(core.keyring, token),
    userId,
    expiresAtMs: now + MFA_TOKEN_TTL_SECONDS * 1000,
    createdAtMs: now,
  });
  return token;
}
