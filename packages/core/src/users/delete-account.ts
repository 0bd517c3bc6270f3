import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { DomainError } from '../errors.js';
import { enqueueMail } from '../mail/enqueue.js';
import { isMfaEnabled } from '../mfa/factors.js';
import { checkStepUpProof, hasAtMostOneProof, hasProof, ZStepUpProofFields } from '../mfa/step-up-proof.js';
import { assertFreshSession, type Session } from '../session/freshness.js';
import {
  assertSecondFactorNotLocked,
  recordSecondFactorFailure,
  resetSecondFactorFailures,
} from '../throttle/second-factor.js';
import { eraseAccount } from './erase.js';
import { findUserById } from './find.js';

export const ZDeleteAccountInput = z
  .object(ZStepUpProofFields)
  .strict()
  .refine(hasAtMostOneProof, { message: 'give at most one of code, recovery_code and webauthn', path: [] });
export type TDeleteAccountInput = z.infer<typeof ZDeleteAccountInput>;

const proofRejected = () => new DomainError('PROOF_REJECTED', 'the proof was rejected');
const sessionGone = () => new DomainError('UNAUTHENTICATED', 'missing, invalid or expired session');

/**
 * Deletes the session's account for good (docs/contract.md § Leaving). Order: fresh session
 * (403 `REAUTHENTICATION_REQUIRED`) → with MFA on, a proof given (400 naming `code`) → second
 * factor not locked (429) → the proof (403 `PROOF_REJECTED`, counted like any wrong second
 * factor). Then, under the user's row lock, the account goes with everything of it (users/erase.ts)
 * and its main address gets a last notice, which names no account any more.
 */
export async function deleteAccount(
  core: Core,
  session: Session,
  input: TDeleteAccountInput,
  meta: RequestMeta,
): Promise<void> {
  const { user } = session;
  const isMfaOn = await isMfaEnabled(core.store, user.id);
  assertFreshSession(core, session, isMfaOn);
  if (isMfaOn && !hasProof(input)) {
    throw new DomainError('INVALID_INPUT', 'a second factor is required while MFA is on', {
      fields: { code: 'required while MFA is on (or recovery_code, or webauthn)' },
    });
  }
  if (isMfaOn) await assertSecondFactorNotLocked(core, core.store, user.id);
  const proof = isMfaOn ? await checkStepUpProof(core, user, input, meta) : undefined;
  const deleted = await core.store.transaction(async (tx) => {
    await tx.users.lock(user.id);
    const current = await findUserById(tx, user.id);
    // Deleted by a parallel request meanwhile: its session is gone too.
    if (!current) throw sessionGone();
    if (proof) {
      await assertSecondFactorNotLocked(core, tx, user.id);
      if (!proof.isValid || !(await proof.claim(tx, core.clock.now()))) {
        await recordSecondFactorFailure(core, tx, current, 'second_factor_failed', meta);
        return false;
      }
      await resetSecondFactorFailures(core, tx, user.id);
    }
    await eraseAccount(core, tx, current.id, 'account_deleted', meta);
    // Null: the notice outlives the account it is about (its row leaves with settled mail).
    await enqueueMail(core, tx, null, {
      kind: 'account-deleted',
      to: current.email,
      username: current.username,
    });
    return true;
  });
  if (!deleted) throw proofRejected();
}
