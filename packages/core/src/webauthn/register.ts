import { verifyRegistrationResponse } from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { assertRecoveryEmailVerifiedIfRequired } from '../email-verification/require-verified.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import { isMfaEnabled } from '../mfa/factors.js';
import { generateRecoveryCodes } from '../recovery-codes/generate.js';
import { hashRecoveryCodes } from '../recovery-codes/hash.js';
import { ZIssuedRecoveryCodes } from '../recovery-codes/normalize.js';
import { assertFreshSession, type Session } from '../session/freshness.js';
import type { WebAuthnCredential } from '../store/repositories/webauthn-credentials.js';
import { consumeChallenge } from './challenges.js';
import { summaryOf } from './credentials.js';
import { assertRecoveryEmailForFirstFactor } from './registration-options.js';
import { relyingPartyOf } from './relying-party.js';
import {
  asRegistrationResponse,
  ZCredentialName,
  ZRegistrationResponse,
  ZWebAuthnCredentialSummary,
} from './schemas.js';

export const ZRegisterWebAuthnInput = z
  .object({
    /** The user's name for it ("YubiKey", "Laptop"). */
    name: ZCredentialName,
    /** Whether it may log in without the password; needs user verification at registration. */
    passwordless: z.boolean().default(false),
    /** `navigator.credentials.create()`'s credential, `toJSON()`. */
    response: ZRegistrationResponse,
  })
  .strict();
export type TRegisterWebAuthnInput = z.infer<typeof ZRegisterWebAuthnInput>;

export const ZRegisterWebAuthnResult = z.object({
  credential: ZWebAuthnCredentialSummary,
  /** Only when this credential turned MFA on: the 6 new recovery codes, shown once. */
  recovery_codes: ZIssuedRecoveryCodes.optional(),
});
export type TRegisterWebAuthnResult = z.infer<typeof ZRegisterWebAuthnResult>;

const refused = () => new DomainError('PROOF_REJECTED', 'the security key registration was refused');

/**
 * Verifies the browser's answer to the registration options and keeps the credential. The
 * challenge is taken (single use) before the answer is verified. A first second factor turns MFA
 * on as enable does: recovery email required, 6 recovery codes made and shown once.
 * Order: recovery email when MFA is off (400) → fresh session (403) → challenge and answer (403)
 * → credential already registered (409).
 */
export async function registerWebAuthnCredential(
  core: Core,
  session: Session,
  input: TRegisterWebAuthnInput,
  meta: RequestMeta,
): Promise<TRegisterWebAuthnResult> {
  const { user } = session;
  const wasMfaOn = await isMfaEnabled(core.store, user.id);
  if (!wasMfaOn) {
    assertRecoveryEmailForFirstFactor(user);
    assertRecoveryEmailVerifiedIfRequired(core, user);
  }
  assertFreshSession(core, session, wasMfaOn);

  const challenge = await core.store.transaction((tx) =>
    consumeChallenge(core, tx, { response: input.response, purpose: 'register', userId: user.id }),
  );
  if (!challenge) throw refused();
  const rp = relyingPartyOf(core.config);
  const verification = await verifyRegistrationResponse({
    response: asRegistrationResponse(input.response),
    expectedChallenge: challenge.challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: input.passwordless,
  }).catch(() => undefined);
  if (!verification?.verified) throw refused();
  const { credential: verified, credentialBackedUp } = verification.registrationInfo;

  // Recovery codes for a first factor are hashed before the transaction (argon2 is slow).
  const codes = wasMfaOn ? undefined : generateRecoveryCodes(core.random);
  const codeHashes = codes ? await hashRecoveryCodes(core, meta, codes) : undefined;
  const now = core.clock.now();
  const row: WebAuthnCredential = {
    id: core.random.uuid(),
    userId: user.id,
    credentialId: verified.id,
    publicKey: isoBase64URL.fromBuffer(verified.publicKey),
    signCount: verified.counter,
    transports: JSON.stringify(verified.transports ?? []),
    name: input.name,
    isPasswordlessAllowed: input.passwordless,
    isBackedUp: credentialBackedUp,
    createdAtMs: now,
    lastUsedAtMs: null,
  };

  const isFirstFactor = await core.store.transaction(async (tx) => {
    // One change of the user's MFA state at a time: the checks below see every committed one.
    await tx.users.lock(user.id);
    const isMfaOn = await isMfaEnabled(tx, user.id);
    // MFA went off meanwhile: there are no recovery codes to go with this factor; start again.
    if (wasMfaOn && !isMfaOn) throw refused();
    if (!(await tx.webauthnCredentials.insert(row))) {
      throw new DomainError('CREDENTIAL_ALREADY_REGISTERED');
    }
    // A parallel registration may have turned MFA on first: then its codes stand.
    const isFirst = !isMfaOn && codeHashes !== undefined;
    if (isFirst) {
      await tx.recoveryCodes.deleteOfUser(user.id);
      await tx.recoveryWindows.deleteOfUser(user.id);
      await tx.enrollments.deleteOfUser(user.id);
      await tx.recoveryCodes.insertMany(
        codeHashes.map((codeHash) => ({ id: core.random.uuid(), userId: user.id, codeHash })),
      );
      await recordSecurityEvent(core, tx, user.id, 'mfa_enabled', meta);
    }
    await recordSecurityEvent(core, tx, user.id, 'webauthn_added', meta);
    await enqueueMail(core, tx, user.id, {
      kind: 'webauthn-added',
      to: user.email,
      username: user.username,
      credentialName: row.name,
      isFirstFactor: isFirst,
    });
    return isFirst;
  });
  return {
    credential: summaryOf(row),
    ...(isFirstFactor && codes ? { recovery_codes: codes } : {}),
  };
}
