import type { Core } from '../context.js';
import { enqueueMail } from '../mail/enqueue.js';
import type { MailMessage } from '../mail/messages.js';
import type { Tx } from '../store/store.js';
import type { User } from '../users/find.js';

/**
 * docs/contract.md § Notices: at most 20 notices of a family per account in a day, then one
 * digest, then none until the day is over, so nobody can mail-bomb a user through them.
 */
export const NOTICES_PER_DAY = 20;
/** The window counts from its first notice. */
export const NOTICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Each family has a budget of its own, so a flood of one kind never silences the other: anyone
 * can set off lockout notices with wrong passwords, but a sign-in notice needs the password
 * (and the second factor), and must still reach the owner.
 */
export type NoticeFamily = 'sign-in' | 'lockout';

/**
 * Queues a notice inside the caller's transaction, within the user's budget for its family: the
 * 1st to 20th of the window go out, the 21st becomes the digest saying more happened and
 * when notices resume, later ones are dropped (their security events are still recorded).
 */
export async function enqueueNotice(
  core: Core,
  tx: Tx,
  user: Pick<User, 'id' | 'email' | 'username'>,
  family: NoticeFamily,
  message: MailMessage,
): Promise<void> {
  const { ordinal, windowStartedAtMs } = await tx.noticeBudgets.take({
    userId: user.id,
    family,
    nowMs: core.clock.now(),
    windowMs: NOTICE_WINDOW_MS,
  });
  if (ordinal <= NOTICES_PER_DAY) return enqueueMail(core, tx, user.id, message);
  if (ordinal === NOTICES_PER_DAY + 1) {
    await enqueueMail(core, tx, user.id, {
      kind: 'notices-paused',
      to: user.email,
      username: user.username,
      about: family,
      resumesAt: windowStartedAtMs + NOTICE_WINDOW_MS,
    });
  }
}
