import { z } from 'zod';
import { nowSeconds } from '../clock.js';
import type { Core, RequestMeta } from '../context.js';
import { dummySlowHash, slowVerify } from '../crypto/slow-hash.js';
import { hashToken } from '../crypto/token-hash.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { ZPasswordResetCode, ZPasswordResetToken } from '../password-reset/codes.js';
import type { Session } from '../session/freshness.js';
import type { EmailVerificationRow } from '../store/repositories/email-verifications.js';
import type { Tx } from '../store/store.js';
import {
  assertNotLocked,
  recordFailureUnlessLocked,
  resetFailures,
  SECOND_FACTOR_POLICY,
  type ThrottlePolicy,
} from '../throttle/failure-counter.js';
import { findUserById, type User } from '../users/find.js';
import { emailVerificationStatus, type TEmailVerificationStatus } from './status.js';

export const ZVerifyEmailTokenInput = z.object({ token: ZPasswordResetToken }).strict();
export type TVerifyEmailTokenInput = z.infer<typeof ZVerifyEmailTokenInput>;
export const ZVerifyEmailCodeInput = z.object({ code: ZPasswordResetCode }).strict();
export type TVerifyEmailCodeInput = z.infer<typeof ZVerifyEmailCodeInput>;

/** Wrong verification codes per user (behind a session): 10, then 1 min doubling to 1 h. */
const EMAIL_VERIFICATION_POLICY: ThrottlePolicy = { ...SECOND_FACTOR_POLICY, scope: 'email-verification' };
/** Codes checked per attempt: the live mails of both addresses, padded, so timing tells nothing. */
const CODES_CHECKED = 4;

const invalidCode = () => new DomainError('INVALID_CODE', 'invalid or expired verification code');

/** Whether the verification is for an address the user still has. */
const isForCurrentAddress = (user: User, verification: EmailVerificationRow) =>
  verification.email === user.email || verification.email === user.recoveryEmail;

/** Consumes the verification (the address verified) unless a parallel call did. */
async function consumeVerification(
  core: Core,
  tx: Tx,
  verification: EmailVerificationRow,
  meta: RequestMeta,
) {
  if (!(await tx.emailVerifications.consume({ id: verification.id, nowMs: core.clock.now() })))
    throw invalidCode();
  await recordSecurityEvent(core, tx, verification.userId, 'email_verified', meta);
}

/**
 * The link of a verification mail (docs/contract.md § Verified addresses): needs no session,
 * the token is 256 bits. Unknown, used, expired, or for an address the user no longer has: 401.
 */
export async function verifyEmailWithToken(
  core: Core,
  input: TVerifyEmailTokenInput,
  meta: RequestMeta,
): Promise<TEmailVerificationStatus> {
  const verification = await core.store.emailVerifications.findByTokenHash(
    hashToken(core.keyring, input.token),
  );
  const user = verification && (await findUserById(core.store, verification.userId));
  if (!verification || !user || !isForCurrentAddress(user, verification)) throw invalidCode();
  await core.store.transaction((tx) => consumeVerification(core, tx, verification, meta));
  return emailVerificationStatus(core.store, user);
}

/** The code of a verification mail, typed in a session of its user; wrong codes count per user. */
export async function verifyEmailWithCode(
  core: Core,
  session: Session,
  input: TVerifyEmailCodeInput,
  meta: RequestMeta,
): Promise<TEmailVerificationStatus> {
  const user = session.user;
  await assertNotLocked(core.store, EMAIL_VERIFICATION_POLICY, user.id, nowSeconds(core.clock));
  const live = (
    await core.store.emailVerifications.findLiveOfUser({ userId: user.id, nowMs: core.clock.now() })
  )
    .filter((verification) => isForCurrentAddress(user, verification))
    .slice(-CODES_CHECKED);
  const dummy = await dummySlowHash();
  const hashes = [...live.map((v) => v.codeHash), ...Array(CODES_CHECKED - live.length).fill(dummy)];
  const results = await slowVerify(
    core,
    meta,
    hashes.map((hash) => [hash, input.code] as const),
  );
  const match = live.find((_, i) => results[i]);
  await core.store.transaction(async (tx) => {
    if (!match) {
      await recordFailureUnlessLocked(tx, EMAIL_VERIFICATION_POLICY, user.id, nowSeconds(core.clock));
      return;
    }
    await consumeVerification(core, tx, match, meta);
    await resetFailures(tx, EMAIL_VERIFICATION_POLICY, user.id);
  });
  if (!match) throw invalidCode();
  return emailVerificationStatus(core.store, user);
}
