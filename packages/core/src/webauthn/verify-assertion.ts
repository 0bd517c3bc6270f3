import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { Core } from '../context.js';
import type { WebAuthnCredential } from '../store/repositories/webauthn-credentials.js';
import { transportsOf } from './credentials.js';
import { relyingPartyOf } from './relying-party.js';
import { asAuthenticationResponse, type TAuthenticationResponse } from './schemas.js';

export type AssertionResult = { isValid: true; newCounter: number } | { isValid: false };

/**
 * Checks an assertion against the stored credential: signature, challenge, origin, RP ID, user
 * presence, and user verification when asked. The signature counter is not judged here but by
 * `recordCredentialUse`, inside the transaction that accepts the use, so a regression is
 * recorded and compared with the counter as committed.
 */
export async function verifyAssertion(
  core: Core,
  input: {
    response: TAuthenticationResponse;
    expectedChallenge: string;
    credential: WebAuthnCredential;
    requireUserVerification: boolean;
  },
): Promise<AssertionResult> {
  const rp = relyingPartyOf(core.config);
  try {
    const result = await verifyAuthenticationResponse({
      response: asAuthenticationResponse(input.response),
      expectedChallenge: input.expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: input.credential.credentialId,
        publicKey: isoBase64URL.toBuffer(input.credential.publicKey),
        // 0: the library's own counter check stays off (see above).
        counter: 0,
        transports: transportsOf(input.credential),
      },
      requireUserVerification: input.requireUserVerification,
    });
    if (!result.verified) return { isValid: false };
    return { isValid: true, newCounter: result.authenticationInfo.newCounter };
  } catch {
    // Malformed data, wrong origin or RP ID, bad signature: the library throws; all are a refusal.
    return { isValid: false };
  }
}
