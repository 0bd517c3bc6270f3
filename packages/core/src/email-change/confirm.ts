import type { Core, RequestMeta } from '../context.js';
import { hashToken } from '../crypto/token-hash.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import { generatePasswordResetToken } from '../password-reset/codes.js';
import type { Tx } from '../store/store.js';
import { accountDisabled } from '../users/disabled.js';
import type { User } from '../users/find.js';
import { claimNewEmail, letGoOfEmail } from './identifiers.js';

/** docs/contract.md § Changing the email: the old address may undo a change for 7 days. */
export const EMAIL_CHANGE_UNDO_DAYS = 7;
const UNDO_MS = EMAIL_CHANGE_UNDO_DAYS * 24 * 60 * 60 * 1000;

/**
 * The new address was verified: it becomes the user's main email, verified now, inside the
 * transaction that used its verification (under the user's row lock). The old address is held
 * for the user while the change may be undone, and gets a notice with the undo link.
 */
export async function confirmEmailChange(
  core: Core,
  tx: Tx,
  user: User,
  newEmail: string,
  meta: RequestMeta,
): Promise<User> {
  // Told only now that the link or code was accepted; the rollback keeps it unspent.
  if (user.disabledAtMs !== null) throw accountDisabled();
  const nowMs = core.clock.now();
  if (newEmail === user.email) return user;
  if (newEmail === user.recoveryEmail) {
    throw new DomainError('INVALID_INPUT', 'the new email is now your recovery email: change that first', {
      fields: { email: 'is your recovery email: change that first' },
    });
  }
  const undoExpiresAtMs = nowMs + UNDO_MS;
  await letGoOfEmail(tx, user, undoExpiresAtMs);
  await claimNewEmail(core, tx, user, newEmail, meta);
  const updated = await tx.users.changeEmail({ userId: user.id, email: newEmail, verifiedAtMs: nowMs });
  if (!updated) throw new DomainError('UNAUTHENTICATED', 'this account no longer exists');
  const undoToken = generatePasswordResetToken(core.random);
  await tx.emailChanges.insert({
    id: core.random.uuid(),
    userId: user.id,
    oldEmail: user.email,
    newEmail,
    undoTokenHash: hashToken(core.keyring, undoToken),
    undoExpiresAtMs,
    createdAtMs: nowMs,
  });
  await enqueueMail(core, tx, user.id, {
    kind: 'email-changed',
    to: user.email,
    username: user.username,
    newEmail,
    undoToken,
    undoExpiresAt: undoExpiresAtMs,
  });
  await recordSecurityEvent(core, tx, user.id, 'email_changed', meta);
  return updated;
}
