import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { makeVerificationSecrets, queueEmailVerification } from '../email-verification/queue.js';
import { assertVerificationMailAllowed } from '../email-verification/send.js';
import { emailVerificationStatus, type TEmailVerificationStatus } from '../email-verification/status.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { isMfaEnabled } from '../mfa/factors.js';
import { assertFreshSession, type Session } from '../session/freshness.js';
import { throttleIdentifierProbes } from '../throttle/identifier-probe.js';
import { findUserById, type User } from '../users/find.js';
import { ZEmail } from '../users/schemas.js';
import { classifyNewEmail } from './identifiers.js';

export const ZChangeEmailInput = z.object({ email: ZEmail }).strict();
export type TChangeEmailInput = z.infer<typeof ZChangeEmailInput>;

const invalidEmail = (reason: string) =>
  new DomainError('INVALID_INPUT', `email ${reason}`, { fields: { email: reason } });

function assertDifferentAddress(user: User, email: string): void {
  if (email === user.email) throw invalidEmail('is already your email');
  if (email === user.recoveryEmail) throw invalidEmail('is your recovery email: change that first');
}

/**
 * Asks to make `email` the user's main address (docs/contract.md § Changing the email): a
 * verification mail goes to it, and it takes over only once that is used. Needs a fresh session,
 * checked before anything about the address is told; an address some account holds answers 409
 * as registration does (throttled per client address). A new request replaces a pending one.
 */
export async function requestEmailChange(
  core: Core,
  session: Session,
  input: TChangeEmailInput,
  meta: RequestMeta,
): Promise<TEmailVerificationStatus> {
  await assertFreshSession(core, session);
  assertDifferentAddress(session.user, input.email);
  const secrets = await makeVerificationSecrets(core, meta);
  const user = await throttleIdentifierProbes(core, meta, () =>
    core.store.transaction(async (tx) => {
      await tx.users.lock(session.user.id);
      const current = await findUserById(tx, session.user.id);
      if (!current) throw new DomainError('UNAUTHENTICATED', 'missing, invalid or expired session');
      assertFreshSession(core, session, await isMfaEnabled(tx, current.id));
      assertDifferentAddress(current, input.email);
      await classifyNewEmail(core, tx, current, input.email);
      await assertVerificationMailAllowed(core, tx, current.id, 'email_change');
      await tx.emailVerifications.consumeAllLive({
        userId: current.id,
        purpose: 'email_change',
        nowMs: core.clock.now(),
      });
      await queueEmailVerification(core, tx, {
        user: current,
        address: 'new_main',
        email: input.email,
        secrets,
      });
      await recordSecurityEvent(core, tx, current.id, 'email_change_requested', meta);
      return current;
    }),
  );
  return emailVerificationStatus(core, user);
}
