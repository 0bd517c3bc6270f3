import { z } from 'zod';
import { nowSeconds } from '../clock.js';
import type { Core, RequestMeta } from '../context.js';
import { slowVerify } from '../crypto/slow-hash.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { findMfaCredential, openTotpSecret, recordAcceptedTimeStep } from '../mfa/credential.js';
import { isMfaEnabled } from '../mfa/factors.js';
import { isRecent, type Session } from '../session/freshness.js';
import type { SessionProofs } from '../session/jwt.js';
import { assertNotLocked, PASSWORD_POLICY, resetFailures } from '../throttle/failure-counter.js';
import {
  assertSecondFactorNotLocked,
  recordSecondFactorFailure,
  resetSecondFactorFailures,
} from '../throttle/second-factor.js';
import { ZTotpCode } from '../totp/schemas.js';
import { verifyTotp } from '../totp/verify-totp.js';
import type { TUserAuth } from '../users/schemas.js';
import { issueUserAuth } from '../users/user-auth.js';
import { recordCredentialUse } from '../webauthn/record-use.js';
import { ZAuthenticationResponse } from '../webauthn/schemas.js';
import { checkSessionAssertion } from '../webauthn/session-assertion.js';
import { ZLoginInput } from './login.js';
import { passwordSubjectOf, recordPasswordFailure } from './password-failure.js';

export const ZReauthInput = z
  .object({
    password: ZLoginInput.shape.password,
    /** A TOTP code; required while MFA is on, unless the session proved a second factor within 15 minutes. */
    code: ZTotpCode.optional(),
    /** Instead of `code`: a security key's answer to `mfa.webauthn.reauthOptions`. */
    webauthn: ZAuthenticationResponse.optional(),
  })
  .strict()
  .refine((input) => input.code === undefined || input.webauthn === undefined, {
    message: 'give code or webauthn, not both',
    path: ['webauthn'],
  });
export type TReauthInput = z.infer<typeof ZReauthInput>;

/** Wrong password or code alike: the answer does not tell which (403: a session is open). */
const proofRejected = () => new DomainError('PROOF_REJECTED', 'the password or code is wrong');

/**
 * Proves the password again (and, while MFA is on, a TOTP code, consumed like any accepted
 * step) and answers a new token for the same session, fresh for the next 15 minutes.
 * Order: code missing (400) → locks (429) → password (403) → code (403).
 */
export async function reauthenticate(
  core: Core,
  session: Session,
  input: TReauthInput,
  meta: RequestMeta,
): Promise<TUserAuth> {
  const { user } = session;
  const subject = passwordSubjectOf(user.id, meta);
  const isMfaOn = await isMfaEnabled(core.store, user.id);
  // A second factor proven within the window (the second step, or a recovery code) stands:
  // only the password is then asked for again.
  const keptSecondFactorAtSec = isRecent(session.proofs.secondFactorAtSec, nowSeconds(core.clock))
    ? session.proofs.secondFactorAtSec
    : undefined;
  const hasSecondFactor = input.code !== undefined || input.webauthn !== undefined;
  if (isMfaOn && !hasSecondFactor && keptSecondFactorAtSec === undefined) {
    throw new DomainError('INVALID_INPUT', 'code is required while MFA is on', {
      fields: { code: 'required while MFA is on' },
    });
  }
  await assertNotLocked(core.store, PASSWORD_POLICY, subject, nowSeconds(core.clock));
  if (isMfaOn) await assertSecondFactorNotLocked(core, core.store, user.id);

  const [isValid] = await slowVerify(core, meta, [[user.passwordHash, input.password]]);
  if (!isValid) {
    await core.store.transaction(async (tx) => {
      // One check-then-count per account at a time, ordered with the success below.
      await tx.users.lock(user.id);
      const nowSec = nowSeconds(core.clock);
      // Parallel guesses may have locked it meanwhile: 429, as the right password would get.
      await assertNotLocked(tx, PASSWORD_POLICY, subject, nowSec);
      await recordPasswordFailure(core, tx, subject, user, 'reauth_failed', meta);
    });
    throw proofRejected();
  }

  // The key's challenge is taken (single use) before its answer is verified, outside the transaction.
  const assertion =
    isMfaOn && input.webauthn ? await checkSessionAssertion(core, user.id, input.webauthn) : undefined;

  const proofs = await core.store.transaction(async (tx): Promise<SessionProofs | undefined> => {
    // Ordered with the account's failures: a lock one of them sets is seen here, not reset.
    await tx.users.lock(user.id);
    const nowMs = core.clock.now();
    const nowSec = nowSeconds(core.clock);
    await assertNotLocked(tx, PASSWORD_POLICY, subject, nowSec);
    await resetFailures(tx, PASSWORD_POLICY, subject);
    if (isMfaOn && input.code !== undefined) {
      await assertSecondFactorNotLocked(core, tx, user.id);
      const credential = await findMfaCredential(tx, user.id);
      const result = verifyTotp({
        // No TOTP credential (WebAuthn only): no code matches.
        secret: credential ? openTotpSecret(core, user.id, credential) : undefined,
        code: input.code,
        epochMs: nowMs,
        lastTimeStep: credential?.lastTimeStep ?? 0,
      });
      // The accepted step is recorded: the code cannot be used again anywhere.
      if (!result.isValid || !(await recordAcceptedTimeStep(tx, user.id, result.timeStep))) {
        await recordSecondFactorFailure(core, tx, user, 'second_factor_failed', meta);
        return undefined;
      }
      await resetSecondFactorFailures(core, tx, user.id);
    }
    if (assertion) {
      await assertSecondFactorNotLocked(core, tx, user.id);
      const use = assertion.isValid
        ? await recordCredentialUse(core, tx, {
            credentialId: assertion.credentialId,
            user,
            newCounter: assertion.newCounter,
            meta,
          })
        : 'refused';
      if (use !== 'accepted') {
        await recordSecondFactorFailure(core, tx, user, 'second_factor_failed', meta);
        return undefined;
      }
      await resetSecondFactorFailures(core, tx, user.id);
    }
    await recordSecurityEvent(core, tx, user.id, 'reauth_succeeded', meta);
    if (!isMfaOn) return { passwordAtSec: nowSec };
    return {
      passwordAtSec: nowSec,
      secondFactorAtSec: hasSecondFactor ? nowSec : keptSecondFactorAtSec,
    };
  });
  if (!proofs) throw proofRejected();
  return issueUserAuth(core, user, session.id, proofs);
}
