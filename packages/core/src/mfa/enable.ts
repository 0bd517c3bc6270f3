import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { constantTimeEqual } from '../crypto/constant-time-equal.js';
import { slowVerify } from '../crypto/slow-hash.js';
import { assertRecoveryEmailVerifiedIfRequired } from '../email-verification/require-verified.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import { RECOVERY_CODE_COUNT } from '../recovery-codes/constants.js';
import { ZRecoveryCode } from '../recovery-codes/normalize.js';
import { assertFreshSession, type Session } from '../session/freshness.js';
import { ZTotpCode } from '../totp/schemas.js';
import { verifyTotp } from '../totp/verify-totp.js';
import { openTotpSecret } from './credential.js';
import { isMfaEnabled } from './factors.js';
import { mfaAlreadyEnabled } from './generate.js';

export const ZEnableMfaInput = z
  .object({
    code: ZTotpCode,
    /** The secret generateMfa returned (base32; case and spaces ignored). */
    secret: z
      .string()
      .max(128, 'must be at most 128 characters')
      .transform((value) => value.replace(/[\s=]/g, '').toUpperCase())
      .pipe(z.string().min(1, 'must not be empty')),
    recovery_codes: z
      .array(ZRecoveryCode)
      .length(RECOVERY_CODE_COUNT, `must be the ${RECOVERY_CODE_COUNT} recovery codes generated`),
  })
  .strict();
export type TEnableMfaInput = z.infer<typeof ZEnableMfaInput>;

const enrollmentMismatch = () => new DomainError('ENROLLMENT_MISMATCH');

/**
 * Confirms the pending enrollment with a code from the authenticator. Order of checks:
 * MFA on (409) → recovery email (400) → secret and codes (400) → fresh session (403) →
 * code (403). Sessions stay.
 */
export async function enableMfa(
  core: Core,
  session: Session,
  input: TEnableMfaInput,
  meta: RequestMeta,
): Promise<void> {
  const { user } = session;
  if (await isMfaEnabled(core.store, user.id)) throw mfaAlreadyEnabled();
  if (!user.recoveryEmail) {
    throw new DomainError('RECOVERY_EMAIL_REQUIRED', undefined, {
      fields: { recovery_email: 'must be set before enabling MFA' },
    });
  }
  assertRecoveryEmailVerifiedIfRequired(core, user);
  const enrollment = await core.store.enrollments.findPending({ userId: user.id, nowMs: core.clock.now() });
  if (!enrollment) throw enrollmentMismatch();
  const secret = openTotpSecret(core, user.id, enrollment);
  const hashes = JSON.parse(enrollment.recoveryCodeHashes) as string[];
  // In the order generate returned them, so each code costs one argon2 verify.
  const matches = await slowVerify(
    core,
    meta,
    hashes.map((hash, i) => [hash, input.recovery_codes[i] ?? ''] as const),
  );
  const isSameEnrollment =
    secret !== undefined &&
    constantTimeEqual(secret, input.secret) &&
    hashes.length === input.recovery_codes.length &&
    matches.every(Boolean);
  if (!isSameEnrollment) throw enrollmentMismatch();
  // MFA is off (checked above): the password proof decides.
  assertFreshSession(core, session, false);

  const result = verifyTotp({ secret, code: input.code, epochMs: core.clock.now() });
  if (!result.isValid) throw new DomainError('PROOF_REJECTED', 'the code is not valid for this secret');

  await core.store.transaction(async (tx) => {
    // One change of the user's MFA state at a time: the checks below see every committed one.
    await tx.users.lock(user.id);
    if (await isMfaEnabled(tx, user.id)) throw mfaAlreadyEnabled();
    // The enrollment checked above must still be the pending one (no generate in between).
    const taken = await tx.enrollments.take({
      userId: user.id,
      secretCiphertext: enrollment.secretCiphertext,
    });
    if (!taken) throw enrollmentMismatch();
    const now = core.clock.now();
    await tx.totpCredentials.insert({
      userId: user.id,
      secretCiphertext: enrollment.secretCiphertext,
      keyId: enrollment.keyId,
      // The confirming code counts as used: it cannot log in afterwards.
      lastTimeStep: result.timeStep,
      enabledAtMs: now,
    });
    await tx.recoveryCodes.deleteOfUser(user.id);
    await tx.recoveryWindows.deleteOfUser(user.id);
    await tx.recoveryCodes.insertMany(
      hashes.map((codeHash) => ({ id: core.random.uuid(), userId: user.id, codeHash })),
    );
    await enqueueMail(core, tx, user.id, { kind: 'mfa-enabled', to: user.email, username: user.username });
    await recordSecurityEvent(core, tx, user.id, 'mfa_enabled', meta);
  });
}
