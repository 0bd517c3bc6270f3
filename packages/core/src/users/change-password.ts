import { passwordSubjectOf, recordPasswordFailure } from '../auth/password-failure.js';
import { nowSeconds } from '../clock.js';
import type { Core, RequestMeta } from '../context.js';
import { slowHash, slowVerify } from '../crypto/slow-hash.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import { endEarlierSessions } from '../session/end-sessions.js';
import { rotateSession } from '../session/start.js';
import type { Tx } from '../store/store.js';
import { assertNotLocked, PASSWORD_POLICY, resetFailures } from '../throttle/failure-counter.js';
import { revokeAllTrustedDevices } from '../trusted-devices/revoke.js';
import type { User } from './find.js';

export interface PasswordChangeInput {
  /** The new password, already validated like registration's (ZPassword). */
  password: string;
  currentPassword: string | undefined;
}

/** A password change whose current password was right, ready to join the update's transaction. */
export interface CheckedPasswordChange {
  newPasswordHash: string;
  /** The hash the proof was checked against: the write needs it unchanged. */
  checkedPasswordHash: string;
  throttleSubject: string;
}

/** 403, not 401: the session is valid, only the proof was refused (docs/contract.md § Conventions). */
const proofRejected = () => new DomainError('PROOF_REJECTED', 'current_password is wrong');

/**
 * Checks a password change before anything is written (docs/contract.md § Re-authentication:
 * changing the password always takes the current password). Only the current password counts:
 * a session opened by a recovery code or email codes must not lock the owner out. Wrong ones
 * count like login failures, on the same counter per account and address.
 * Order: current_password missing (400) → lock (429) → current password (403).
 */
export async function checkPasswordChange(
  core: Core,
  user: User,
  input: PasswordChangeInput,
  meta: RequestMeta,
): Promise<CheckedPasswordChange> {
  if (input.currentPassword === undefined) {
    throw new DomainError('INVALID_INPUT', 'current_password is required to change the password', {
      fields: { current_password: 'required to change the password' },
    });
  }
  const throttleSubject = passwordSubjectOf(user.id, meta);
  await assertNotLocked(core.store, PASSWORD_POLICY, throttleSubject, nowSeconds(core.clock));
  // A full hash queue answers 503 here, before anything is counted as a failure.
  const [isCurrent] = await slowVerify(core, meta, [[user.passwordHash, input.currentPassword]]);
  if (!isCurrent) {
    await core.store.transaction(async (tx) => {
      // One check-then-count per account at a time, ordered with the change (updateUser).
      await tx.users.lock(user.id);
      // Parallel guesses may have locked it meanwhile: 429, as the right password would get.
      await assertNotLocked(tx, PASSWORD_POLICY, throttleSubject, nowSeconds(core.clock));
      await recordPasswordFailure(core, tx, throttleSubject, user, 'password_change_failed', meta);
    });
    throw proofRejected();
  }
  const [newPasswordHash] = await slowHash(core, meta, [input.password]);
  return {
    newPasswordHash,
    checkedPasswordHash: user.passwordHash,
    throttleSubject,
  };
}

/**
 * Writes a checked change inside the caller's transaction, which holds the user's lock
 * (`tx.users.lock`): the new hash, every other session ended and the asking one given a new id
 * (so every token issued before, even this session's, is refused: docs/contract.md § Sessions),
 * the failure streak cleared, an event, and a notice to the main and recovery addresses.
 * Guards: the asking session must still be live (a recover, reset or "end" since the check
 * refuses the change: 401), and the UPDATE needs the hash the proof was checked against, so
 * of parallel changes exactly one applies; the others find their session moved on (401).
 * Returns the session's new id, for the caller's new token.
 */
export async function applyPasswordChange(
  core: Core,
  tx: Tx,
  session: { id: string; user: User },
  change: CheckedPasswordChange,
  meta: RequestMeta,
): Promise<string> {
  const { user } = session;
  // A parallel guess may have locked the account while the new password was being hashed.
  await assertNotLocked(tx, PASSWORD_POLICY, change.throttleSubject, nowSeconds(core.clock));
  // A guarded write on the session's own row: it waits for, and then sees, a parallel end.
  const sessionId = await rotateSession(core, tx, session.id);
  const changed =
    sessionId !== undefined &&
    (await tx.users.changePassword({
      userId: user.id,
      newPasswordHash: change.newPasswordHash,
      checkedPasswordHash: change.checkedPasswordHash,
    }));
  if (!changed) throw new DomainError('UNAUTHENTICATED');
  await endEarlierSessions(tx, user.id, sessionId);
  // The old password may be known to someone: no browser skips the second factor with the new one.
  await revokeAllTrustedDevices(core, tx, user.id, meta);
  await resetFailures(tx, PASSWORD_POLICY, change.throttleSubject);
  await recordSecurityEvent(core, tx, user.id, 'password_changed', meta);
  for (const to of [user.email, ...(user.recoveryEmail ? [user.recoveryEmail] : [])]) {
    await enqueueMail(core, tx, user.id, { kind: 'password-changed', to, username: user.username });
  }
  return sessionId;
}
