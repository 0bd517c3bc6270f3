import { z } from 'zod';
import { nowSeconds } from '../clock.js';
import type { Core, RequestMeta } from '../context.js';
import { dummySlowHash, slowVerify } from '../crypto/slow-hash.js';
import { hashToken } from '../crypto/token-hash.js';
import { confirmEmailChange } from '../email-change/confirm.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { ZPasswordResetCode, ZPasswordResetToken } from '../password-reset/codes.js';
import type { Session } from '../session/freshness.js';
import type { EmailVerificationRow } from '../store/repositories/email-verifications.js';
import type { Tx } from '../store/store.js';
import { assertNotLocked, recordFailureUnlessLocked, resetFailures } from '../throttle/failure-counter.js';
import { findUserById, type User } from '../users/find.js';
import { EMAIL_VERIFICATION_POLICY } from './policy.js';
import { emailVerificationStatus, type TEmailVerificationStatus } from './status.js';

export const ZVerifyEmailTokenInput = z.object({ token: ZPasswordResetToken }).strict();
export type TVerifyEmailTokenInput = z.infer<typeof ZVerifyEmailTokenInput>;
export const ZVerifyEmailCodeInput = z.object({ code: ZPasswordResetCode }).strict();
export type TVerifyEmailCodeInput = z.infer<typeof ZVerifyEmailCodeInput>;

/** Codes checked per attempt: the live mails of both addresses, padded, so timing tells nothing. */
const CODES_CHECKED = 4;

const invalidCode = () => new DomainError('INVALID_CODE', 'invalid or expired verification code');

/**
 * Whether the verification may still be used: one of an address must be for an address the user
 * still has; a pending email change is usable while live (a newer request ends it).
 */
const isUsable = (user: User, verification: EmailVerificationRow) =>
  verification.purpose === 'email_change' ||
  verification.email === user.email ||
  verification.email === user.recoveryEmail;

/**
 * Consumes the verification and marks its address verified (or, for an email change, makes the
 * new address the main one), under the user's row lock so the address is still the user's when
 * it is marked; INVALID_CODE when a parallel call used it or the address changed meanwhile.
 * Answers the user as it now stands.
 */
async function consumeVerification(
  core: Core,
  tx: Tx,
  verification: EmailVerificationRow,
  meta: RequestMeta,
): Promise<User> {
  await tx.users.lock(verification.userId);
  const user = await findUserById(tx, verification.userId);
  if (!user || !isUsable(user, verification)) throw invalidCode();
  const nowMs = core.clock.now();
  if (!(await tx.emailVerifications.consume({ id: verification.id, nowMs }))) throw invalidCode();
  if (verification.purpose === 'email_change')
    return confirmEmailChange(core, tx, user, verification.email, meta);
  await tx.users.markEmailVerified({ userId: user.id, email: verification.email, atMs: nowMs });
  await recordSecurityEvent(core, tx, verification.userId, 'email_verified', meta);
  return (await findUserById(tx, user.id)) ?? user;
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
  if (!verification) throw invalidCode();
  const user = await core.store.transaction((tx) => consumeVerification(core, tx, verification, meta));
  return emailVerificationStatus(core, user);
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
    .filter((verification) => isUsable(user, verification))
    .slice(-CODES_CHECKED);
  const dummy = await dummySlowHash(core);
  const hashes = [...live.map((v) => v.codeHash), ...Array(CODES_CHECKED - live.length).fill(dummy)];
  const results = await slowVerify(
    core,
    meta,
    hashes.map((hash) => [hash, input.code] as const),
  );
  const match = live.find((_, i) => results[i]);
  const verified = await core.store.transaction(async (tx) => {
    if (!match) {
      await recordFailureUnlessLocked(tx, EMAIL_VERIFICATION_POLICY, user.id, nowSeconds(core.clock));
      return undefined;
    }
    const updated = await consumeVerification(core, tx, match, meta);
    await resetFailures(tx, EMAIL_VERIFICATION_POLICY, user.id);
    return updated;
  });
  if (!verified) throw invalidCode();
  return emailVerificationStatus(core, verified);
}
