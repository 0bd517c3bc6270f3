import { z } from 'zod';
import { passwordSubjectOf } from '../auth/password-failure.js';
import type { Core, RequestMeta } from '../context.js';
import { slowHash } from '../crypto/slow-hash.js';
import { hashToken } from '../crypto/token-hash.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import { endEarlierSessions } from '../session/end-sessions.js';
import {
  anonymousSubject,
  assertAnonymousNotLocked,
  PASSWORD_RESET_POLICY,
  recordAnonymousFailure,
  resetAnonymousFailures,
} from '../throttle/anonymous-second-factor.js';
import { PASSWORD_POLICY, resetFailures } from '../throttle/failure-counter.js';
import { revokeAllTrustedDevices } from '../trusted-devices/revoke.js';
import { accountDisabled } from '../users/disabled.js';
import { findUserById, findUserByIdentifier } from '../users/find.js';
import { ZIdentifier, ZPassword } from '../users/schemas.js';
import { ZPasswordResetCode, ZPasswordResetToken } from './codes.js';
import {
  isPasswordResetBurnedFor,
  isPasswordResetLive,
  matchPasswordResetCode,
  type PasswordReset,
  recordPasswordResetCodeFailure,
  triablePasswordResets,
} from './live-request.js';

export const ZResetPasswordInput = z
  .object({
    /** With `code`: the username or email the reset was requested for. */
    identifier: ZIdentifier.optional(),
    /** The code of the mail, typed. */
    code: ZPasswordResetCode.optional(),
    /** Instead of identifier and code: the token of the mail's link. */
    token: ZPasswordResetToken.optional(),
    /** The new password, under registration's rules. */
    password: ZPassword,
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.token !== undefined) {
      for (const field of ['identifier', 'code'] as const) {
        if (input[field] !== undefined)
          ctx.addIssue({ code: 'custom', path: [field], message: 'not allowed together with token' });
      }
      return;
    }
    for (const field of ['identifier', 'code'] as const) {
      if (input[field] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: 'required unless token is given' });
    }
  });
export type TResetPasswordInput = z.infer<typeof ZResetPasswordInput>;

const invalidCode = () => new DomainError('INVALID_CODE', 'invalid or expired password reset code');

/** The live request the input names, after the same work whether or not it names one. */
async function findNamedRequest(
  core: Core,
  input: TResetPasswordInput,
  meta: RequestMeta,
): Promise<{ match: PasswordReset | undefined; tried: PasswordReset[] }> {
  if (input.token !== undefined) {
    const request = await core.store.passwordResets.findByTokenHash(hashToken(core.keyring, input.token));
    const isLive = request !== undefined && isPasswordResetLive(request, core.clock.now());
    return { match: isLive ? request : undefined, tried: [] };
  }
  const user = await findUserByIdentifier(core.store, input.identifier ?? '');
  const tried = user ? await triablePasswordResets(core, core.store, user.id, meta.clientAddress) : [];
  return { match: await matchPasswordResetCode(core, meta, tried, input.code ?? ''), tried };
}

/**
 * Completes a forgotten-password reset (docs/contract.md § Forgotten password): the code (with
 * the identifier) or the link's token of a live request sets the new password once, consumes
 * every request of the account, ends every session and proven client, and notifies the main
 * and recovery addresses. It logs nobody in: the next login asks for the password and, with MFA
 * on, the second factor, so a mailbox alone never gets past MFA nor makes a session fresh.
 * Anonymous: failures count per identifier (or token) as sent and client address, and 5 wrong
 * codes burn a request for that address; every refusal is the same 401.
 */
export async function resetPassword(
  core: Core,
  input: TResetPasswordInput,
  meta: RequestMeta,
): Promise<void> {
  const subject = anonymousSubject(core, input.token ?? input.identifier ?? '', meta.clientAddress);
  await assertAnonymousNotLocked(core, core.store, PASSWORD_RESET_POLICY, subject);
  const { match, tried } = await findNamedRequest(core, input, meta);
  if (!match) {
    await core.store.transaction(async (tx) => {
      await recordAnonymousFailure(core, tx, PASSWORD_RESET_POLICY, subject);
      await recordPasswordResetCodeFailure(core, tx, tried, meta.clientAddress);
    });
    throw invalidCode();
  }

  const [newPasswordHash] = await slowHash(core, meta, [input.password]);
  await core.store.transaction(async (tx) => {
    await tx.users.lock(match.userId);
    await assertAnonymousNotLocked(core, tx, PASSWORD_RESET_POLICY, subject);
    // Parallel wrong guesses from this address may have burned the request meanwhile.
    if (await isPasswordResetBurnedFor(core, tx, match.id, meta.clientAddress)) throw invalidCode();
    const now = core.clock.now();
    // Single use: of parallel completions with one code, only the one whose UPDATE wins goes on.
    if (!(await tx.passwordResets.consume({ id: match.id, nowMs: now }))) throw invalidCode();
    const user = await findUserById(tx, match.userId);
    if (!user) throw invalidCode();
    // The code was right (docs/contract.md § Disabled accounts); the rollback keeps the request.
    if (user.disabledAtMs !== null) throw accountDisabled();
    const changed = await tx.users.changePassword({
      userId: user.id,
      newPasswordHash,
      checkedPasswordHash: user.passwordHash,
    });
    // The user's row is locked: nothing can have changed it since it was read.
    if (!changed) throw new Error('password changed under the lock');
    await tx.passwordResets.consumeAllOfUser({ userId: user.id, nowMs: now });
    await endEarlierSessions(tx, user.id);
    // Proven clients lift the login throttle; after a reset nobody is proven any more.
    await tx.provenLogins.forgetOlderThan({ userId: user.id, sinceMs: now });
    await revokeAllTrustedDevices(core, tx, user.id, meta);
    await resetAnonymousFailures(core, tx, PASSWORD_RESET_POLICY, subject);
    // The owner, proven by the mailbox, may log in with the new password from here at once.
    await resetFailures(tx, PASSWORD_POLICY, passwordSubjectOf(user.id, meta));
    await recordSecurityEvent(core, tx, user.id, 'password_reset_completed', meta);
    for (const to of [user.email, ...(user.recoveryEmail ? [user.recoveryEmail] : [])]) {
      await enqueueMail(core, tx, user.id, { kind: 'password-reset', to, username: user.username });
    }
  });
}
