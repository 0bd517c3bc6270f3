import { z } from 'zod';
import { nowSeconds } from '../clock.js';
import type { Core, RequestMeta } from '../context.js';
import { dummySlowHash, slowVerify } from '../crypto/slow-hash.js';
import { writeTransaction } from '../db/transaction.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import { issueMfaToken } from '../mfa-token/issue.js';
import {
  assertNotLocked,
  PASSWORD_POLICY,
  recordFailure,
  resetFailures,
} from '../throttle/failure-counter.js';
import { findUserByIdentifier } from '../users/find.js';
import { ZIdentifier, ZUserAuth } from '../users/schemas.js';
import { isMfaEnabled, issueUserAuth } from '../users/user-auth.js';

export const ZLoginInput = z.object({
  /** Username or email. */
  username: ZIdentifier,
  password: z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters'),
});
export type TLoginInput = z.infer<typeof ZLoginInput>;

export const ZLoginResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('authenticated'), auth: ZUserAuth }),
  z.object({ status: z.literal('mfa_required'), mfaToken: z.string() }),
]);
export type TLoginResult = z.infer<typeof ZLoginResult>;

const invalidCredentials = () => new DomainError('INVALID_CREDENTIALS', 'invalid username or password');

/** Lockouts are per account and client address, so one attacker cannot lock a user out everywhere. */
const passwordSubject = (userId: string, meta: RequestMeta) => `${userId}|${meta.clientAddress}`;

export async function loginWithPassword(
  core: Core,
  input: TLoginInput,
  meta: RequestMeta,
): Promise<TLoginResult> {
  const user = findUserByIdentifier(core.db, input.username);
  if (!user) {
    // Same work as a wrong password, so timing does not reveal which accounts exist.
    await slowVerify(await dummySlowHash(), input.password);
    throw invalidCredentials();
  }
  const subject = passwordSubject(user.id, meta);
  writeTransaction(core.db, (tx) => assertNotLocked(tx, PASSWORD_POLICY, subject, nowSeconds(core.clock)));

  const isValid = await slowVerify(user.passwordHash, input.password);
  if (!isValid) {
    writeTransaction(core.db, (tx) => {
      const lock = recordFailure(tx, PASSWORD_POLICY, subject, nowSeconds(core.clock));
      recordSecurityEvent(core, tx, user.id, 'login_failed', meta);
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
    throw invalidCredentials();
  }

  const mfaToken = writeTransaction(core.db, (tx) => {
    // A parallel guess may have locked the account while this password was being checked.
    assertNotLocked(tx, PASSWORD_POLICY, subject, nowSeconds(core.clock));
    resetFailures(tx, PASSWORD_POLICY, subject);
    if (!isMfaEnabled(core, user.id)) {
      recordSecurityEvent(core, tx, user.id, 'login_succeeded', meta);
      return undefined;
    }
    return issueMfaToken(core, tx, user.id);
  });
  if (mfaToken) return { status: 'mfa_required', mfaToken };
  return { status: 'authenticated', auth: await issueUserAuth(core, user) };
}
