import { z } from 'zod';
import { nowSeconds } from '../clock.js';
import type { Core, RequestMeta } from '../context.js';
import { dummySlowHash, slowVerify } from '../crypto/slow-hash.js';
import { hashToken } from '../crypto/token-hash.js';
import { DomainError, isDomainError, type LockoutDetails } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { isMfaEnabled } from '../mfa/factors.js';
import { issueMfaToken } from '../mfa-token/issue.js';
import { startSession } from '../session/start.js';
import type { Repositories, Tx } from '../store/store.js';
import { addressThrottleSubject } from '../throttle/address-subject.js';
import {
  assertNotLocked,
  currentLockout,
  LOGIN_ADDRESS_POLICY,
  PASSWORD_POLICY,
  recordFailureUnlessLocked,
  resetFailures,
  tooManyAttempts,
} from '../throttle/failure-counter.js';
import type { TrustedBrowser } from '../trusted-devices/token.js';
import { useTrustedDevice } from '../trusted-devices/trust.js';
import { assertAccountEnabled } from '../users/disabled.js';
import { findUserByIdentifier, type User } from '../users/find.js';
import { ZIdentifier, ZUserAuth } from '../users/schemas.js';
import { issueUserAuth } from '../users/user-auth.js';
import { passwordSubjectOf, recordPasswordFailure } from './password-failure.js';
import { isProvenLogin, type LoginDevice, recordCompleteLogin } from './proven-login.js';

export const ZLoginInput = z
  .object({
    /** Username or email. */
    username: ZIdentifier,
    password: z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters'),
  })
  .strict();
export type TLoginInput = z.infer<typeof ZLoginInput>;

export const ZLoginResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('authenticated'), auth: ZUserAuth }),
  z.object({ status: z.literal('mfa_required'), mfaToken: z.string() }),
]);
export type TLoginResult = z.infer<typeof ZLoginResult>;

const invalidCredentials = () => new DomainError('INVALID_CREDENTIALS');

/**
 * What login throttling counts: the client address, with an IPv6 /64 as one address
 * (security events still record the full address). Lockouts are per account and address,
 * so one attacker cannot lock a user out everywhere. Unknown identifiers get a counter of
 * their own (keyed by a hash of the identifier), so a lock on the 6th guess does not tell
 * which accounts exist.
 */
interface LoginSubjects {
  address: string;
  password: string;
}

function loginSubjects(
  core: Core,
  user: User | undefined,
  identifier: string,
  meta: RequestMeta,
): LoginSubjects {
  const account = user ? user.id : `unknown:${hashToken(core.keyring, identifier)}`;
  return { address: addressThrottleSubject(meta.clientAddress), password: passwordSubjectOf(account, meta) };
}

/**
 * Throws TOO_MANY_ATTEMPTS unless this attempt may have its password checked. A locked address
 * lets only clients proven for the account through (docs/contract.md § MFA endpoints), and
 * only they pay for that check, so the lock stays cheap; the lock they passed is returned.
 * `repos` is `core.store`, or the `tx` of the transaction this check belongs to.
 */
async function assertLoginAllowed(
  core: Core,
  repos: Repositories,
  subjects: LoginSubjects,
  isProven: (repos: Repositories) => Promise<boolean>,
): Promise<LockoutDetails | undefined> {
  const nowSec = nowSeconds(core.clock);
  const addressLock = await currentLockout(repos, LOGIN_ADDRESS_POLICY, subjects.address, nowSec);
  if (addressLock && !(await isProven(repos))) throw tooManyAttempts(addressLock);
  await assertNotLocked(repos, PASSWORD_POLICY, subjects.password, nowSec);
  return addressLock;
}

/**
 * Counts a wrong password for an address that was not locked when this attempt checked it.
 * When a parallel failure has locked it since, the attempt goes as if the check had seen that
 * lock: 429 (and the transaction rolls back) unless the client is proven for the account;
 * a proven client passes it. Returns the lock it passed, if any.
 */
async function countAddressFailure(
  tx: Tx,
  subjects: LoginSubjects,
  isProven: (repos: Repositories) => Promise<boolean>,
  nowSec: number,
): Promise<LockoutDetails | undefined> {
  try {
    await recordFailureUnlessLocked(tx, LOGIN_ADDRESS_POLICY, subjects.address, nowSec);
    return undefined;
  } catch (error) {
    const lock = isDomainError(error) && error.code === 'TOO_MANY_ATTEMPTS' ? error.lockout : undefined;
    if (!lock || !(await isProven(tx))) throw error;
    return lock;
  }
}

/**
 * `device` is the client's device token, where the transport has one (a browser's cookie):
 * presented, it may let the client past a throttled address; a complete login hands it a new one.
 * `trusted` is the browser's trusted-device cookie: a live one of this user makes the right
 * password a complete login without the second step (docs/contract.md § Trusted devices).
 */
export async function loginWithPassword(
  core: Core,
  input: TLoginInput,
  meta: RequestMeta,
  device?: LoginDevice,
  trusted?: TrustedBrowser,
): Promise<TLoginResult> {
  const user = await findUserByIdentifier(core.store, input.username);
  const subjects = loginSubjects(core, user, input.username, meta);
  let proven: boolean | undefined;
  const isProven = async (repos: Repositories) =>
    (proven ??=
      user !== undefined &&
      (await isProvenLogin(core, repos, user.id, subjects.address, device?.presentedToken)));
  // A pre-check on committed rows, no transaction: the writes below check again inside theirs.
  await assertLoginAllowed(core, core.store, subjects, isProven);

  // An unknown user costs the same hash and the same writes as a wrong password, so
  // neither timing nor lockouts reveal which accounts exist.
  // A full hash queue answers 503 here, before anything is counted as a failure.
  const [isValid] = await slowVerify(core, meta, [
    [user?.passwordHash ?? (await dummySlowHash(core)), input.password],
  ]);
  if (!user || !isValid) {
    const passedLock = await core.store.transaction(async (tx) => {
      // One check-then-count per account at a time, ordered with the success below; an unknown
      // identifier has no row, its count tells instead (recordPasswordFailure).
      if (user) await tx.users.lock(user.id);
      // Parallel guesses may have locked the subject meanwhile: answer 429 like a right
      // password would get, or the one 429 among 401s would point at the password.
      const addressLock = await assertLoginAllowed(core, tx, subjects, isProven);
      const nowSec = nowSeconds(core.clock);
      // A proven client's typo counts for its account, but does not lengthen its address's lock.
      const passed = addressLock ?? (await countAddressFailure(tx, subjects, isProven, nowSec));
      await recordPasswordFailure(core, tx, subjects.password, user, 'login_failed', meta);
      return passed;
    });
    // docs/contract.md § MFA endpoints: while the address is throttled, every wrong password
    // from it answers 429, proven pair or not, so the exemption tells nothing.
    if (passedLock) throw tooManyAttempts(passedLock);
    throw invalidCredentials();
  }

  const step = await core.store.transaction(async (tx) => {
    // Ordered with the account's failures: a lock one of them sets is seen here, not reset.
    await tx.users.lock(user.id);
    // A parallel guess may have locked the account while this password was being checked.
    await assertLoginAllowed(core, tx, subjects, isProven);
    // The password was right: only now may the answer tell that the account is disabled
    // (docs/contract.md § Disabled accounts); the rollback keeps the failures it would reset.
    await assertAccountEnabled(tx, user.id);
    await resetFailures(tx, PASSWORD_POLICY, subjects.password);
    const isMfaOn = await isMfaEnabled(tx, user.id);
    // Without MFA the password completes the login; with MFA only the second step does, or a
    // browser the user trusted at one (a guarded use: a revocation committed first wins).
    const isTrusted = isMfaOn && (await useTrustedDevice(core, tx, user.id, trusted?.presentedToken));
    if (isMfaOn && !isTrusted) return { mfaToken: await issueMfaToken(core, tx, user.id) };
    await recordSecurityEvent(
      core,
      tx,
      user.id,
      isTrusted ? 'trusted_device_login_succeeded' : 'login_succeeded',
      meta,
    );
    return {
      isMfaOn,
      deviceToken: await recordCompleteLogin(core, tx, user, meta, device?.presentedToken),
      sessionId: await startSession(core, tx, {
        userId: user.id,
        method: isTrusted ? 'password_trusted_device' : 'password',
        meta,
      }),
    };
  });
  if (step.mfaToken !== undefined) return { status: 'mfa_required', mfaToken: step.mfaToken };
  if (step.deviceToken) device?.keep(step.deviceToken);
  // The password only: a trusted device proves no second factor now, so such a session is not
  // fresh for a change of factors (docs/contract.md § Re-authentication).
  const proofs = { passwordAtSec: nowSeconds(core.clock) };
  // The transaction has just read the factors: no need to read them again.
  return {
    status: 'authenticated',
    auth: await issueUserAuth(core, user, step.sessionId, proofs, step.isMfaOn),
  };
}
