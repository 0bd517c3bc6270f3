import { generateAuthenticationOptions } from '@simplewebauthn/server';
import type { Core } from '../context.js';
import { DomainError } from '../errors.js';
import type { Session } from '../session/freshness.js';
import { newChallengeBytes, storeChallenge } from './challenges.js';
import { descriptorOf } from './credentials.js';
import { relyingPartyOf } from './relying-party.js';
import { asRequestOptions } from './schemas.js';
import type { TWebAuthnAssertionOptions } from './second-step.js';

/**
 * Options for proving a key again in a session (`user.reauth` with `webauthn`), for users whose
 * second factors are keys (docs/contract.md § Re-authentication).
 */
export async function startWebAuthnReauth(core: Core, session: Session): Promise<TWebAuthnAssertionOptions> {
  const { user } = session;
  const credentials = await core.store.webauthnCredentials.listOfUser(user.id);
  if (credentials.length === 0) {
    throw new DomainError('NO_WEBAUTHN_CREDENTIAL', 'this account has no security key; use a code');
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
      purpose: 'session',
      userId: user.id,
      mfaTokenHash: null,
    }),
  );
  return { options: asRequestOptions(options) };
}
