import { generateRegistrationOptions } from '@simplewebauthn/server';
import { z } from 'zod';
import type { Core } from '../context.js';
import { assertRecoveryEmailVerifiedIfRequired } from '../email-verification/require-verified.js';
import { DomainError } from '../errors.js';
import { isMfaEnabled } from '../mfa/factors.js';
import { assertFreshSession, type Session } from '../session/freshness.js';
import type { User } from '../users/find.js';
import { newChallengeBytes, storeChallenge } from './challenges.js';
import { descriptorOf, userHandleOf } from './credentials.js';
import { relyingPartyOf } from './relying-party.js';
import { asCreationOptions, ZCreationOptions } from './schemas.js';

export const ZWebAuthnRegistrationOptions = z.object({ options: ZCreationOptions });
export type TWebAuthnRegistrationOptions = z.infer<typeof ZWebAuthnRegistrationOptions>;

/** A first second factor turns MFA on, so it needs a recovery email like enable (docs/contract.md § Generate and enable). */
export function assertRecoveryEmailForFirstFactor(user: User): void {
  if (!user.recoveryEmail) {
    throw new DomainError('RECOVERY_EMAIL_REQUIRED', undefined, {
      fields: { recovery_email: 'must be set before enabling MFA' },
    });
  }
}

/**
 * Options for `navigator.credentials.create()`. Order: recovery email when MFA is off (400) →
 * fresh session (403). The user's credentials are excluded, so one authenticator is not
 * registered twice; attestation `none` (Twofold trusts no vendor list); resident key and user
 * verification preferred, so the credential can be a passkey when the user allows it.
 */
export async function startWebAuthnRegistration(
  core: Core,
  session: Session,
): Promise<TWebAuthnRegistrationOptions> {
  const { user } = session;
  const isMfaOn = await isMfaEnabled(core.store, user.id);
  if (!isMfaOn) {
    assertRecoveryEmailForFirstFactor(user);
    assertRecoveryEmailVerifiedIfRequired(core, user);
  }
  assertFreshSession(core, session, isMfaOn);
  const existing = await core.store.webauthnCredentials.listOfUser(user.id);
  const rp = relyingPartyOf(core.config);
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.username,
    userID: userHandleOf(user.id),
    userDisplayName: user.name,
    challenge: newChallengeBytes(core),
    attestationType: 'none',
    excludeCredentials: existing.map(descriptorOf),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  await core.store.transaction((tx) =>
    storeChallenge(core, tx, {
      challenge: options.challenge,
      purpose: 'register',
      userId: user.id,
      mfaTokenHash: null,
    }),
  );
  return { options: asCreationOptions(options) };
}
