import { z } from 'zod';
import { nowSeconds } from '../clock.js';
import type { Core, RequestMeta } from '../context.js';
import { slowVerify } from '../crypto/slow-hash.js';
import { writeTransaction } from '../db/transaction.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import { findMfaCredential, openTotpSecret, recordAcceptedTimeStep } from '../mfa/credential.js';
import type { Session } from '../session/freshness.js';
import type { SessionProofs } from '../session/jwt.js';
import { addressThrottleSubject } from '../throttle/address-subject.js';
import {
  assertNotLocked,
  PASSWORD_POLICY,
  recordFailure,
  resetFailures,
} from '../throttle/failure-counter.js';
import {
  assertSecondFactorNotLocked,
  recordSecondFactorFailure,
  resetSecondFactorFailures,
} from '../throttle/second-factor.js';
import { ZTotpCode } from '../totp/schemas.js';
import { verifyTotp } from '../totp/verify-totp.js';
import type { TUserAuth } from '../users/schemas.js';
import { isMfaEnabled, issueUserAuth } from '../users/user-auth.js';
import { ZLoginInput } from './login.js';

export const ZReauthInput = z
  .object({
    password: ZLoginInput.shape.password,
    /** A TOTP code from the authenticator; required while MFA is on. */
    code: ZTotpCode.optional(),
  })
  .strict();
export type TReauthInput = z.infer<typeof ZReauthInput>;

/** Wrong password or code alike: the answer does not tell which (403: a session is open). */
const proofRejected = () => new DomainError('PROOF_REJECTED', 'the password or code is wrong');

/**
 * The login's password counter of this account and client address (IPv6: its /64), so
 * guesses here and at login share the 5-guess budget (docs/contract.md § Re-authentication).
 */
function passwordSubjectOf(userId: string, meta: RequestMeta): string {
  return `${userId}|${addressThrottleSubject(meta.clientAddress)}`;
}

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
  const isMfaOn = isMfaEnabled(core, user.id);
  if (isMfaOn && input.code === undefined) {
    throw new DomainError('INVALID_INPUT', 'code is required while MFA is on', {
      fields: { code: 'required while MFA is on' },
    });
  }
  assertNotLocked(core.db, PASSWORD_POLICY, subject, nowSeconds(core.clock));
  if (isMfaOn) assertSecondFactorNotLocked(core, user.id);

  if (!(await slowVerify(user.passwordHash, input.password))) {
    writeTransaction(core.db, (tx) => {
      const nowSec = nowSeconds(core.clock);
      // Parallel guesses may have locked it meanwhile: 429, as the right password would get.
      assertNotLocked(core.db, PASSWORD_POLICY, subject, nowSec);
      const lock = recordFailure(tx, PASSWORD_POLICY, subject, nowSec);
      recordSecurityEvent(core, tx, user.id, 'reauth_failed', meta);
      if (lock) {
        recordSecurityEvent(core, tx, user.id, 'login_locked', meta);
        enqueueMail(core, tx, {
          kind: 'account-locked',
          to: user.email,
          username: user.username,
          lockedUntil: lock.lockedUntil,
        });
      }
    });
    throw proofRejected();
  }

  const proofs = writeTransaction(core.db, (tx): SessionProofs | undefined => {
    const nowMs = core.clock.now();
    const nowSec = nowSeconds(core.clock);
    assertNotLocked(core.db, PASSWORD_POLICY, subject, nowSec);
    resetFailures(core.db, PASSWORD_POLICY, subject);
    const credential = isMfaOn ? findMfaCredential(core.db, user.id) : undefined;
    if (credential && input.code !== undefined) {
      assertSecondFactorNotLocked(core, user.id);
      const result = verifyTotp({
        secret: openTotpSecret(core, user.id, credential),
        code: input.code,
        epochMs: nowMs,
        lastTimeStep: credential.lastTimeStep,
      });
      // The accepted step is recorded: the code cannot be used again anywhere.
      if (!result.isValid || !recordAcceptedTimeStep(core.db, user.id, result.timeStep)) {
        recordSecondFactorFailure(core, tx, user, 'second_factor_failed', meta);
        return undefined;
      }
      resetSecondFactorFailures(core, user.id);
    }
    recordSecurityEvent(core, tx, user.id, 'reauth_succeeded', meta);
    return { passwordAtSec: nowSec, ...(credential ? { secondFactorAtSec: nowSec } : {}) };
  });
  if (!proofs) throw proofRejected();
  return issueUserAuth(core, user, proofs);
}
