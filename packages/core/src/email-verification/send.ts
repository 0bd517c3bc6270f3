import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { slowHash } from '../crypto/slow-hash.js';
import { hashToken } from '../crypto/token-hash.js';
import { DomainError } from '../errors.js';
import { enqueueMail } from '../mail/enqueue.js';
import { generatePasswordResetCode, generatePasswordResetToken } from '../password-reset/codes.js';
import type { Session } from '../session/freshness.js';
import { findUserById } from '../users/find.js';

/** docs/contract.md § Verified addresses: a verification code and link are valid 24 hours. */
export const EMAIL_VERIFICATION_TTL_SECONDS = 24 * 60 * 60;
/** At most one verification mail per account per minute, so nobody floods a mailbox. */
export const EMAIL_VERIFICATION_INTERVAL_SECONDS = 60;

const ZEmailAddressKind = z.enum(['email', 'recovery_email']);

export const ZSendEmailVerificationInput = z.object({ address: ZEmailAddressKind }).strict();
export type TSendEmailVerificationInput = z.infer<typeof ZSendEmailVerificationInput>;

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
  const code = generatePasswordResetCode(core.random);
  const token = generatePasswordResetToken(core.random);
  const [codeHash] = await slowHash(core, meta, [code]);
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
    const now = core.clock.now();
    const latest = await tx.emailVerifications.latestOfUser(user.id);
    if (latest !== null && now - latest < EMAIL_VERIFICATION_INTERVAL_SECONDS * 1000) {
      const lockedUntil = Math.ceil((latest + EMAIL_VERIFICATION_INTERVAL_SECONDS * 1000) / 1000);
      throw new DomainError('TOO_MANY_ATTEMPTS', 'a verification mail was sent less than a minute ago', {
        lockout: { lockedUntil, retryAfter: Math.max(1, lockedUntil - Math.floor(now / 1000)) },
      });
    }
    const expiresAt = now + EMAIL_VERIFICATION_TTL_SECONDS * 1000;
    await tx.emailVerifications.insert({
      id: core.random.uuid(),
      userId: user.id,
      email,
      tokenHash: hashToken(core.keyring, token),
      codeHash,
      expiresAt,
      createdAt: now,
    });
    await enqueueMail(core, tx, {
      kind: 'email-verification',
      to: email,
      username: user.username,
      address: input.address === 'email' ? 'main' : 'recovery',
      code,
      token,
      expiresAt,
    });
  });
}
