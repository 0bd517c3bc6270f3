import { z } from 'zod';
import { nowSeconds } from '../clock.js';
import type { Core, RequestMeta } from '../context.js';
import {
  makeVerificationSecrets,
  queueEmailVerification,
  type VerificationSecrets,
} from '../email-verification/queue.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import { isMfaEnabled } from '../mfa/factors.js';
import { assertFreshSession, type Session } from '../session/freshness.js';
import type { Tx } from '../store/store.js';
import { throttleIdentifierProbes } from '../throttle/identifier-probe.js';
import { applyPasswordChange, type CheckedPasswordChange, checkPasswordChange } from './change-password.js';
import { findUserById, type User } from './find.js';
import { ZEmail, ZName, ZPassword, ZUserAuth, ZUserProfile } from './schemas.js';
import { issueUserAuth, toUserProfile } from './user-auth.js';

export const ZUpdateUserInput = z
  .object({
    name: ZName.optional(),
    /** `""` is accepted only while none is set (it cannot be emptied once set). */
    recovery_email: z.union([z.literal(''), ZEmail]).optional(),
    // docs/contract.md § Fields beyond the seed: ShellHub's fields for a password change …
    password: ZPassword.optional().describe('A new password; takes current_password.'),
    current_password: z
      .string()
      .min(1, 'must not be empty')
      .max(256, 'must be at most 256 characters')
      .optional()
      .describe('The current password, required with password.'),
    // … and two more its clients may send, accepted but not applied.
    username: z.string().max(256).optional().describe('Accepted for ShellHub clients; not changed.'),
    email: z.string().max(256).optional().describe('Accepted for ShellHub clients; not changed.'),
  })
  .strict();
export type TUpdateUserInput = z.infer<typeof ZUpdateUserInput>;

/** A UserAuth with a new session token when the password changed (every other session ended); else the profile. */
export const ZUpdateUserResult = z
  .union([ZUserAuth, ZUserProfile])
  .describe(
    'A UserAuth with a new session token when the password changed (every other session is ended); otherwise the profile.',
  );
export type TUpdateUserResult = z.infer<typeof ZUpdateUserResult>;

const invalidRecoveryEmail = (reason: string) =>
  new DomainError('INVALID_INPUT', `recovery_email ${reason}`, { fields: { recovery_email: reason } });

async function checkRecoveryEmail(tx: Tx, user: User, recoveryEmail: string): Promise<void> {
  if (recoveryEmail === '') throw invalidRecoveryEmail('cannot be emptied once set');
  if (recoveryEmail === user.email) throw invalidRecoveryEmail('must differ from your email');
  if (await tx.users.isEmailOfAnother({ email: recoveryEmail, exceptUserId: user.id })) {
    throw new DomainError('EMAIL_TAKEN', 'recovery_email is the email of another account', {
      fields: { recovery_email: 'is the email of another account' },
    });
  }
}

/**
 * Changes the name and/or recovery email. A recovery email change is told to the main
 * address and to the old recovery address, so a hijacker cannot quietly redirect resets.
 * Setting or changing it also takes a fresh session, checked before anything about the
 * address is told (docs/contract.md § Re-authentication). A password change is checked first
 * and written in the same transaction as the rest: all or nothing.
 */
export async function updateUser(
  core: Core,
  session: Session,
  input: TUpdateUserInput,
  meta: RequestMeta,
): Promise<TUpdateUserResult> {
  const passwordChange =
    input.password === undefined
      ? undefined
      : await checkPasswordChange(
          core,
          session.user,
          { password: input.password, currentPassword: input.current_password },
          meta,
        );
  // A new recovery address is asked to verify itself (docs/contract.md § Verified addresses):
  // the code is hashed before the transaction, and used only if the address changes.
  const verification = input.recovery_email ? await makeVerificationSecrets(core, meta) : undefined;
  // Its 409 tells that an address is some account's email: throttled per client address.
  const { updated, rotatedSessionId } =
    input.recovery_email === undefined
      ? await applyUpdate(core, session, input, passwordChange, verification, meta)
      : await throttleIdentifierProbes(core, meta, () =>
          applyUpdate(core, session, input, passwordChange, verification, meta),
        );
  if (rotatedSessionId === undefined) return toUserProfile(core, updated);
  // This session continues under its new id (every other one ended): it has just proven the password.
  const proofs = { ...session.proofs, passwordAtSec: nowSeconds(core.clock) };
  return issueUserAuth(core, updated, rotatedSessionId, proofs);
}

function applyUpdate(
  core: Core,
  session: Session,
  input: TUpdateUserInput,
  passwordChange: CheckedPasswordChange | undefined,
  verification: VerificationSecrets | undefined,
  meta: RequestMeta,
): Promise<{ updated: User; rotatedSessionId: string | undefined }> {
  return core.store.transaction(async (tx) => {
    // One change of the account at a time: the checks below (recovery email, password lock)
    // read what every earlier change committed, and the old recovery address is the real one.
    await tx.users.lock(session.user.id);
    const current = await findUserById(tx, session.user.id);
    if (!current) throw new DomainError('UNAUTHENTICATED');
    const next = input.recovery_email;
    const isRecoveryChange = next !== undefined && next !== (current.recoveryEmail ?? '');
    if (isRecoveryChange) {
      assertFreshSession(core, session, await isMfaEnabled(tx, current.id));
      await checkRecoveryEmail(tx, current, next);
    }
    const changes = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(isRecoveryChange ? { recoveryEmail: next, recoveryEmailVerifiedAtMs: null } : {}),
    };
    const rotatedSessionId = passwordChange
      ? await applyPasswordChange(core, tx, { id: session.id, user: current }, passwordChange, meta)
      : undefined;
    if (Object.keys(changes).length === 0) return { updated: current, rotatedSessionId };
    const row = await tx.users.updateProfile(current.id, changes);
    if (isRecoveryChange) {
      const recipients = [current.email, ...(current.recoveryEmail ? [current.recoveryEmail] : [])];
      for (const to of recipients) {
        await enqueueMail(core, tx, current.id, {
          kind: 'recovery-email-changed',
          to,
          username: current.username,
          newRecoveryEmail: next,
        });
      }
      if (verification) {
        await queueEmailVerification(core, tx, {
          user: current,
          address: 'recovery',
          email: next,
          secrets: verification,
        });
      }
      await recordSecurityEvent(core, tx, current.id, 'recovery_email_changed', meta);
    }
    return { updated: row ?? current, rotatedSessionId };
  });
}
