import type { Core } from '../context.js';
import { hashToken } from '../crypto/token-hash.js';
import { mfaTokens } from '../db/schema/index.js';
import type { Tx } from '../db/transaction.js';

/** docs/contract.md: the X-MFA-Token lives 5 minutes. */
export const MFA_TOKEN_TTL_SECONDS = 5 * 60;

/** Random (UUID v4, 122 bits), bound to the user; only its keyed hash is stored. */
export function issueMfaToken(core: Core, tx: Tx, userId: string): string {
  const token = core.random.uuid();
  const now = core.clock.now();
  tx.insert(mfaTokens)
    .values({
      tokenHash: hashToken(core.keyring, token),
      userId,
      expiresAt: now + MFA_TOKEN_TTL_SECONDS * 1000,
      createdAt: now,
    })
    .run();
  return token;
}
