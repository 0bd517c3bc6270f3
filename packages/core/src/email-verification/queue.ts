import type { Core, RequestMeta } from '../context.js';
import { slowHash } from '../crypto/slow-hash.js';
import { hashToken } from '../crypto/token-hash.js';
import { enqueueMail } from '../mail/enqueue.js';
import { generatePasswordResetCode, generatePasswordResetToken } from '../password-reset/codes.js';
import type { Tx } from '../store/store.js';
import type { User } from '../users/find.js';

/** docs/contract.md § Verified addresses: a verification code and link are valid 24 hours. */
export const EMAIL_VERIFICATION_TTL_SECONDS = 24 * 60 * 60;

/** The code and link token of one verification mail, and the code's slow hash. */
export interface VerificationSecrets {
  code: string;
  token: string;
  codeHash: string;
}

/** Made before the transaction that mails them: argon2 never runs under a lock. */
export async function makeVerificationSecrets(core: Core, meta: RequestMeta): Promise<VerificationSecrets> {
  const code = generatePasswordResetCode(core.random);
  const token = generatePasswordResetToken(core.random);
  const [codeHash] = await slowHash(core, meta, [code]);
  return { code, token, codeHash };
}

export interface QueuedVerification {
  user: Pick<User, 'id' | 'username'>;
  /**
   * Which of the user's addresses it verifies; `new_main`: the address the user asked to make
   * their main email, which takes over once verified (docs/contract.md § Changing the email).
   */
  address: 'main' | 'recovery' | 'new_main';
  email: string;
  secrets: VerificationSecrets;
  /** The mail says the address goes back to whoever registers it unless it is verified in time. */
  isRegistration?: boolean;
}

/**
 * Stores a verification of `email` and queues its mail in the caller's transaction, so the mail
 * goes if and only if the change that asked for it commits (docs/contract.md § Email).
 */
export async function queueEmailVerification(core: Core, tx: Tx, queued: QueuedVerification): Promise<void> {
  const { user, email, secrets } = queued;
  const now = core.clock.now();
  const expiresAtMs = now + EMAIL_VERIFICATION_TTL_SECONDS * 1000;
  await tx.emailVerifications.insert({
    id: core.random.uuid(),
    userId: user.id,
    email,
    purpose: queued.address === 'new_main' ? 'email_change' : 'address',
    tokenHash: hashToken(core.keyring, secrets.token),
    codeHash: secrets.codeHash,
    expiresAtMs,
    createdAtMs: now,
  });
  await enqueueMail(core, tx, user.id, {
    kind: 'email-verification',
    to: email,
    username: user.username,
    address: queued.address,
    code: secrets.code,
    token: secrets.token,
    expiresAtMs,
    ...(queued.isRegistration ? { isRegistration: true } : {}),
  });
}
