import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { seal } from '../crypto/seal.js';
import { DomainError } from '../errors.js';
import { generateRecoveryCodes } from '../recovery-codes/generate.js';
import { hashRecoveryCodes } from '../recovery-codes/hash.js';
import { ZIssuedRecoveryCodes } from '../recovery-codes/normalize.js';
import { assertFreshSession, type Session } from '../session/freshness.js';
import { generateTotpSecret } from '../totp/generate-secret.js';
import { buildKeyUri } from '../totp/key-uri.js';
import { isMfaEnabled } from './factors.js';

/** docs/contract.md: a pending enrollment is valid 15 minutes. */
export const ENROLLMENT_TTL_SECONDS = 15 * 60;

export const ZGenerateMfaResult = z.object({
  /** otpauth:// Key URI for a QR code. */
  link: z.string(),
  /** Base32 TOTP secret, shown once. */
  secret: z.string(),
  recovery_codes: ZIssuedRecoveryCodes,
});
export type TGenerateMfaResult = z.infer<typeof ZGenerateMfaResult>;

export const mfaAlreadyEnabled = () => new DomainError('MFA_ALREADY_ENABLED');

/**
 * Makes a new secret and recovery codes and keeps them as the user's pending enrollment
 * (secret sealed, codes hashed), replacing any earlier one. They are shown only now.
 * MFA on (409) → fresh session (403).
 */
export async function generateMfa(
  core: Core,
  session: Session,
  meta: RequestMeta,
): Promise<TGenerateMfaResult> {
  const { user } = session;
  if (await isMfaEnabled(core.store, user.id)) throw mfaAlreadyEnabled();
  assertFreshSession(core, session, false);
  const secret = generateTotpSecret(core.random);
  const codes = generateRecoveryCodes(core.random);
  const codeHashes = await hashRecoveryCodes(core, meta, codes);
  const sealed = seal(core.keyring, secret, { purpose: 'totp-secret', userId: user.id });
  await core.store.transaction(async (tx) => {
    // One change of the user's MFA state at a time: a parallel enable has committed or not begun.
    await tx.users.lock(user.id);
    if (await isMfaEnabled(tx, user.id)) throw mfaAlreadyEnabled();
    const now = core.clock.now();
    await tx.enrollments.replace({
      userId: user.id,
      secretCiphertext: sealed.ciphertext,
      keyId: sealed.keyId,
      recoveryCodeHashes: JSON.stringify(codeHashes),
      expiresAtMs: now + ENROLLMENT_TTL_SECONDS * 1000,
      createdAtMs: now,
    });
  });
  return {
    link: buildKeyUri({ issuer: core.config.issuer, username: user.username, secret }),
    secret,
    recovery_codes: codes,
  };
}
