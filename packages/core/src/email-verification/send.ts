import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { DomainError } from '../errors.js';
import type { Session } from '../session/freshness.js';
import type { EmailVerificationPurpose } from '../store/repositories/email-verifications.js';
import type { Tx } from '../store/store.js';
import { findUserById } from '../users/find.js';
import { makeVerificationSecrets, queueEmailVerification } from './queue.js';

export { EMAIL_VERIFICATION_TTL_SECONDS } from './queue.js';
/**
 * A requested verification mail waits a minute after the account's previous one of its kind
 * (an address's verification, or a new main email's), so nobody floods a mailbox.
 */
export const EMAIL_VERIFICATION_INTERVAL_SECONDS = 60;

const ZEmailAddressKind = z.enum(['email', 'recovery_email']);

export const ZSendEmailVerificationInput = z.object({ address: ZEmailAddressKind }).strict();
export type TSendEmailVerificationInput = z.infer<typeof ZSendEmailVerificationInput>;

/**
 * 429 within a minute of the account's latest verification mail of `purpose`: for an address's,
 * whether the user asked for it or a change sent it by itself (registration, a new recovery
 * email); for a new main email's, the previous request.
 */
export async function assertVerificationMailAllowed(
  core: Core,
  tx: Tx,
  userId: string,
  purpose: EmailVerificationPurpose,
): Promise<void> {
  const now = core.clock.now();
  const latest = await tx.emailVerifications.latestOfUser({ userId, purpose });
  if (latest === null || now - latest >= EMAIL_VERIFICATION_INTERVAL_SECONDS * 1000) return;
  const lockedUntilSeconds = Math.ceil((latest + EMAIL_VERIFICATION_INTERVAL_SECONDS * 1000) / 1000);
  throw new DomainError('TOO_MANY_ATTEMPTS', 'a verification mail was sent less than a minute ago', {
    lockout: {
      lockedUntilSeconds,
      retryAfterSeconds: Math.max(1, lockedUntilSeconds - Math.floor(now / 1000)),
    },
  });
}

/**
 * Mails a code and a link that verify the user's main or recovery address (docs/contract.md §
 * Verified addresses). Needs a session of the user; 400 when the recovery address is unset,
 * 429 within a minute of the previous mail. Earlier mails stay usable.
 */
export async function sendEmailVerification(
  core: Core,
  session: Session,
  input: TSendEmailVerificationInput,
  meta: RequestMeta,
): Promise<void> {
  const secrets = await makeVerificationSecrets(core, meta);
  await core.store.transaction(async (tx) => {
    await tx.users.lock(session.user.id);
    const user = await findUserById(tx, session.user.id);
    if (!user) throw new DomainError('UNAUTHENTICATED');
    const email = input.address === 'email' ? user.email : user.recoveryEmail;
    if (!email) {
      throw new DomainError('RECOVERY_EMAIL_REQUIRED', 'no recovery email is set', {
        fields: { recovery_email: 'set a recovery email first' },
      });
    }
    await assertVerificationMailAllowed(core, tx, user.id, 'address');
    await queueEmailVerification(core, tx, {
      user,
      address: input.address === 'email' ? 'main' : 'recovery',
      email,
      secrets,
    });
  });
}
