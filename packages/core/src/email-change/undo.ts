import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { hashToken } from '../crypto/token-hash.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import { ZPasswordResetToken } from '../password-reset/codes.js';
import { endEarlierSessions } from '../session/end-sessions.js';
import { accountDisabled } from '../users/disabled.js';
import { findUserById } from '../users/find.js';
import { claimNewEmail, letGoOfEmail } from './identifiers.js';

export const ZUndoEmailChangeInput = z.object({ token: ZPasswordResetToken }).strict();
export type TUndoEmailChangeInput = z.infer<typeof ZUndoEmailChangeInput>;

const invalidCode = () => new DomainError('INVALID_CODE', 'invalid or expired link');

/**
 * The one-click undo of the notice sent to the old address (docs/contract.md § Changing the
 * email): needs no session, the token is 256 bits. Restores the old address (verified: its
 * mailbox holds the link), ends every later change's undo and any pending change, and ends
 * every session, since whoever made the change had one. Unknown, used or expired: 401.
 */
export async function undoEmailChange(
  core: Core,
  input: TUndoEmailChangeInput,
  meta: RequestMeta,
): Promise<void> {
  const change = await core.store.emailChanges.findByUndoTokenHash(hashToken(core.keyring, input.token));
  if (!change) throw invalidCode();
  await core.store.transaction(async (tx) => {
    await tx.users.lock(change.userId);
    const user = await findUserById(tx, change.userId);
    const nowMs = core.clock.now();
    if (!user || !(await tx.emailChanges.undoAllOfUser({ userId: user.id, id: change.id, nowMs })))
      throw invalidCode();
    if (user.disabledAtMs !== null) throw accountDisabled();
    if (user.email !== change.oldEmail) {
      await letGoOfEmail(tx, user, undefined);
      await claimNewEmail(core, tx, user, change.oldEmail, meta);
      await tx.users.changeEmail({ userId: user.id, email: change.oldEmail, verifiedAtMs: nowMs });
    }
    await tx.emailVerifications.consumeAllLive({ userId: user.id, purpose: 'email_change', nowMs });
    await endEarlierSessions(tx, user.id);
    await enqueueMail(core, tx, user.id, {
      kind: 'email-change-undone',
      to: change.oldEmail,
      username: user.username,
    });
    await recordSecurityEvent(core, tx, user.id, 'email_change_undone', meta);
  });
}
