import { and, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { users } from '../db/schema/index.js';
import { writeTransaction } from '../db/transaction.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import { assertFreshSession, type Session } from '../session/freshness.js';
import { throttleIdentifierProbesSync } from '../throttle/identifier-probe.js';
import { findUserById, type User } from './find.js';
import { type TUserProfile, ZEmail, ZName } from './schemas.js';
import { toUserProfile } from './user-auth.js';

export const ZUpdateUserInput = z
  .object({
    name: ZName.optional(),
    /** `""` is accepted only while none is set (it cannot be emptied once set). */
    recovery_email: z.union([z.literal(''), ZEmail]).optional(),
    // docs/contract.md § Fields beyond the seed: ShellHub's clients may send these; not applied.
    username: z.string().max(256).optional().describe('Accepted for ShellHub clients; not changed.'),
    email: z.string().max(256).optional().describe('Accepted for ShellHub clients; not changed.'),
    password: z.string().max(256).optional().describe('Accepted for ShellHub clients; not changed.'),
    current_password: z.string().max(256).optional().describe('Accepted for ShellHub clients; ignored.'),
  })
  .strict();
export type TUpdateUserInput = z.infer<typeof ZUpdateUserInput>;

const invalidRecoveryEmail = (reason: string) =>
  new DomainError('INVALID_INPUT', `recovery_email ${reason}`, { fields: { recovery_email: reason } });

function checkRecoveryEmail(core: Core, user: User, recoveryEmail: string): void {
  if (recoveryEmail === '') throw invalidRecoveryEmail('cannot be emptied once set');
  if (recoveryEmail === user.email) throw invalidRecoveryEmail('must differ from your email');
  const owner = core.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.email, recoveryEmail), ne(users.id, user.id)))
    .get();
  if (owner) {
    throw new DomainError('EMAIL_TAKEN', 'recovery_email is the email of another account', {
      fields: { recovery_email: 'is the email of another account' },
    });
  }
}

/**
 * Changes the name and/or recovery email. A recovery email change is told to the main
 * address and to the old recovery address, so a hijacker cannot quietly redirect resets.
 * Setting or changing it also takes a fresh session, checked before anything about the
 * address is told (docs/contract.md § Re-authentication).
 */
export function updateUser(
  core: Core,
  session: Session,
  input: TUpdateUserInput,
  meta: RequestMeta,
): TUserProfile {
  // Its 409 tells that an address is some account's email: throttled per client address.
  if (input.recovery_email === undefined) return applyUpdate(core, session, input, meta);
  return throttleIdentifierProbesSync(core, meta, () => applyUpdate(core, session, input, meta));
}

function applyUpdate(core: Core, session: Session, input: TUpdateUserInput, meta: RequestMeta): TUserProfile {
  const updated = writeTransaction(core.db, (tx) => {
    const current = findUserById(core.db, session.user.id);
    if (!current) throw new DomainError('UNAUTHENTICATED', 'missing, invalid or expired session');
    const next = input.recovery_email;
    const isRecoveryChange = next !== undefined && next !== (current.recoveryEmail ?? '');
    if (isRecoveryChange) {
      assertFreshSession(core, session);
      checkRecoveryEmail(core, current, next);
    }
    const changes = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(isRecoveryChange ? { recoveryEmail: next } : {}),
    };
    if (Object.keys(changes).length === 0) return current;
    const row = tx.update(users).set(changes).where(eq(users.id, current.id)).returning().get();
    if (isRecoveryChange) {
      const recipients = [current.email, ...(current.recoveryEmail ? [current.recoveryEmail] : [])];
      for (const to of recipients) {
        enqueueMail(core, tx, {
          kind: 'recovery-email-changed',
          to,
          username: current.username,
          newRecoveryEmail: next,
        });
      }
      recordSecurityEvent(core, tx, current.id, 'recovery_email_changed', meta);
    }
    return row ?? current;
  });
  return toUserProfile(core, updated);
}
