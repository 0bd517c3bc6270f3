import type { Core } from '../context.js';
import { consumeChallenge } from './challenges.js';
import type { TAuthenticationResponse } from './schemas.js';
import { verifyAssertion } from './verify-assertion.js';

type CheckedAssertion = { isValid: true; credentialId: string; newCounter: number } | { isValid: false };

/** A key's answer to the user's own `session` challenge, verified; user verification not required (the password is proven too). */
export async function checkSessionAssertion(
  core: Core,
  userId: string,
  response: TAuthenticationResponse,
): Promise<CheckedAssertion> {
  const challenge = await core.store.transaction((tx) =>
    consumeChallenge(core, tx, { response, purpose: 'session', userId }),
  );
  if (!challenge) return { isValid: false };
  const credential = await core.store.webauthnCredentials.findByCredentialId(response.id);
  if (credential?.userId !== userId) return { isValid: false };
  const result = await verifyAssertion(core, {
    response,
    expectedChallenge: challenge.challenge,
    credential,
    requireUserVerification: false,
  });
  return result.isValid
    ? { isValid: true, credentialId: credential.credentialId, newCounter: result.newCounter }
    : { isValid: false };
}
