import { generateAuthenticationOptions } from '@simplewebauthn/server';
import type { Core } from '../context.js';
import { DomainError } from '../errors.js';
import type { WebAuthnChallengePurpose } from '../store/repositories/webauthn-challenges.js';
import { newChallengeBytes, storeChallenge } from './challenges.js';
import { descriptorOf } from './credentials.js';
import { relyingPartyOf } from './relying-party.js';
import { asRequestOptions } from './schemas.js';
import type { TWebAuthnAssertionOptions } from './second-step.js';

/**
 * Options asking one user's keys for an assertion (second step, re-authentication), and their
 * challenge stored for that purpose (docs/contract.md § WebAuthn). User verification is only
 * preferred: the key is a second factor here, beside the password.
 */
export async function issueUserAssertionOptions(
  core: Core,
  target: { userId: string; purpose: WebAuthnChallengePurpose; mfaTokenHash: string | null },
): Promise<TWebAuthnAssertionOptions> {
  const credentials = await core.store.webauthnCredentials.listOfUser(target.userId);
  if (credentials.length === 0) {
    throw new DomainError('NO_WEBAUTHN_CREDENTIAL');
  }
  const options = await generateAuthenticationOptions({
    rpID: relyingPartyOf(core.config).id,
    allowCredentials: credentials.map(descriptorOf),
    userVerification: 'preferred',
    challenge: newChallengeBytes(core),
  });
  await core.store.transaction((tx) =>
    storeChallenge(core, tx, {
      challenge: options.challenge,
      purpose: target.purpose,
      userId: target.userId,
      mfaTokenHash: target.mfaTokenHash,
    }),
  );
  return { options: asRequestOptions(options) };
}
