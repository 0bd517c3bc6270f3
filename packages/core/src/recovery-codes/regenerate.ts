import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import { isMfaEnabled } from '../mfa/factors.js';
import { assertFreshSession, type Session } from '../session/freshness.js';
import { generateRecoveryCodes } from './generate.js';
import { hashRecoveryCodes } from './hash.js';
import { ZIssuedRecoveryCodes } from './normalize.js';

export const ZRegenerateRecoveryCodesResult = z.object({
  /** The new codes, shown once; every earlier code stopped working. */
  recovery_codes: ZIssuedRecoveryCodes,
});
export type TRegenerateRecoveryCodesResult = z.infer<typeof ZRegenerateRecoveryCodesResult>;

const mfaNotEnabled = () => new DomainError('MFA_NOT_ENABLED');

/**
 * Replaces all of the user's recovery codes, used or not, with 6 new ones (docs/contract.md §
 * Recovery codes). A change of factors: the session must be fresh, which with MFA on means a
 * second factor proven within 15 minutes besides the password. MFA off (400) → fresh (403).
 * Parallel calls queue on the user's row; the codes of the last one are the only ones left.
 */
export async function regenerateRecoveryCodes(
  core: Core,
  session: Session,
  meta: RequestMeta,
): Promise<TRegenerateRecoveryCodesResult> {
  const { user } = session;
  if (!(await isMfaEnabled(core.store, user.id))) throw mfaNotEnabled();
  assertFreshSession(core, session, true);
  const codes = generateRecoveryCodes(core.random);
  const hashes = await hashRecoveryCodes(core, meta, codes);
  await core.store.transaction(async (tx) => {
    await tx.users.lock(user.id);
    // MFA may have been turned off while the codes were hashed: codes without MFA mean nothing.
    if (!(await isMfaEnabled(tx, user.id))) throw mfaNotEnabled();
    await tx.recoveryCodes.deleteOfUser(user.id);
    await tx.recoveryCodes.insertMany(
      hashes.map((codeHash) => ({ id: core.random.uuid(), userId: user.id, codeHash })),
    );
    await enqueueMail(core, tx, user.id, {
      kind: 'recovery-codes-regenerated',
      to: user.email,
      username: user.username,
    });
    await recordSecurityEvent(core, tx, user.id, 'recovery_codes_regenerated', meta);
  });
  return { recovery_codes: codes };
}
