import { z } from 'zod';
import { type LoginDevice, recordCompleteLogin } from '../auth/proven-login.js';
import { nowSeconds } from '../clock.js';
import type { Core, RequestMeta } from '../context.js';
import { hashToken } from '../crypto/token-hash.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { findMfaChallenge } from '../mfa/challenge.js';
import { consumeMfaToken, MFA_TOKEN_MAX_FAILURES, recordMfaTokenFailure } from '../mfa-token/consume.js';
import { startSession } from '../session/start.js';
import { assertLockPassed, SECOND_FACTOR_POLICY } from '../throttle/failure-counter.js';
import { recordSecondFactorFailure, resetSecondFactorFailures } from '../throttle/second-factor.js';
import { type TrustedBrowser, ZTrustDevice } from '../trusted-devices/token.js';
import { trustDevice } from '../trusted-devices/trust.js';
import type { User } from '../users/find.js';
import type { TUserAuth } from '../users/schemas.js';
import { issueUserAuth } from '../users/user-auth.js';
import { consumeChallenge } from './challenges.js';
import { recordCredentialUse } from './record-use.js';
import { ZAuthenticationResponse, ZRequestOptions } from './schemas.js';
import { issueUserAssertionOptions } from './user-assertion-options.js';
import { verifyAssertion } from './verify-assertion.js';

const ZMfaToken = z.string().trim().min(1, 'must not be empty').max(128, 'must be at most 128 characters');

export const ZWebAuthnSecondStepOptionsInput = z.object({ token: ZMfaToken }).strict();
export type TWebAuthnSecondStepOptionsInput = z.infer<typeof ZWebAuthnSecondStepOptionsInput>;
export const ZWebAuthnAssertionOptions = z.object({ options: ZRequestOptions });
export type TWebAuthnAssertionOptions = z.infer<typeof ZWebAuthnAssertionOptions>;

export const ZAuthMfaWebAuthnInput = z
  .object({
    token: ZMfaToken,
    response: ZAuthenticationResponse,
    /** Trust this browser for 30 days (docs/contract.md § Trusted devices). */
    trust_device: ZTrustDevice,
  })
  .strict();
export type TAuthMfaWebAuthnInput = z.infer<typeof ZAuthMfaWebAuthnInput>;

const invalidToken = () => new DomainError('INVALID_MFA_TOKEN');
const invalidAssertion = () => new DomainError('INVALID_ASSERTION');

/**
 * Assertion options for the second login step: the live MFA token's user's credentials.
 * User verification is only preferred: the password was the first factor.
 */
export async function startWebAuthnSecondStep(
  core: Core,
  input: TWebAuthnSecondStepOptionsInput,
): Promise<TWebAuthnAssertionOptions> {
  const tokenHash = hashToken(core.keyring, input.token);
  const challenge = await core.store.mfaTokens.findChallenge({
    tokenHash,
    nowMs: core.clock.now(),
    maxFailures: MFA_TOKEN_MAX_FAILURES,
    counterScope: SECOND_FACTOR_POLICY.scope,
  });
  if (!challenge) throw invalidToken();
  return issueUserAssertionOptions(core, {
    userId: challenge.user.id,
    purpose: 'second-factor',
    mfaTokenHash: tokenHash,
  });
}

type Outcome =
  | {
      ok: true;
      user: User;
      deviceToken: string | undefined;
      trustedToken: string | undefined;
      passwordProvenAt: number;
      sessionId: string;
    }
  | { ok: false; error: () => DomainError };

/**
 * The second login step with a security key instead of a TOTP code. The challenge is taken
 * first (single use: of parallel submissions of one assertion only one is verified; the others
 * answer 401 and count nothing, as no proof was checked). A refused assertion counts like a
 * wrong code: on the user's second-factor counter and the token's failures.
 */
export async function authenticateMfaWebAuthn(
  core: Core,
  input: TAuthMfaWebAuthnInput,
  meta: RequestMeta,
  device?: LoginDevice,
  trusted?: TrustedBrowser,
): Promise<TUserAuth> {
  const taken = await core.store.transaction(async (tx) => {
    const challenge = await findMfaChallenge(core, tx, input.token);
    if (!challenge) return { ok: false as const, error: invalidToken };
    assertLockPassed(challenge.lockedUntilSeconds, nowSeconds(core.clock));
    const consumed = await consumeChallenge(core, tx, {
      response: input.response,
      purpose: 'second-factor',
      userId: challenge.user.id,
    });
    if (!consumed || consumed.mfaTokenHash !== challenge.tokenHash) {
      return { ok: false as const, error: invalidAssertion };
    }
    const credential = await tx.webauthnCredentials.findByCredentialId(input.response.id);
    return {
      ok: true as const,
      expectedChallenge: consumed.challenge,
      credential: credential?.userId === challenge.user.id ? credential : undefined,
    };
  });
  if (!taken.ok) throw taken.error();

  const result = taken.credential
    ? await verifyAssertion(core, {
        response: input.response,
        expectedChallenge: taken.expectedChallenge,
        credential: taken.credential,
        requireUserVerification: false,
      })
    : { isValid: false as const };

  const outcome = await core.store.transaction(async (tx): Promise<Outcome> => {
    // Read again: the token may have died, and this holds the user's row for what follows.
    const challenge = await findMfaChallenge(core, tx, input.token);
    if (!challenge) return { ok: false, error: invalidToken };
    const { user, tokenHash } = challenge;
    const nowMs = core.clock.now();
    const refuse = async (): Promise<Outcome> => {
      if (!(await recordMfaTokenFailure(tx, tokenHash, nowMs))) return { ok: false, error: invalidToken };
      await recordSecondFactorFailure(core, tx, user, 'mfa_auth_failed', meta);
      return { ok: false, error: invalidAssertion };
    };
    if (!result.isValid || !taken.credential) return refuse();
    const use = await recordCredentialUse(core, tx, {
      credentialId: taken.credential.credentialId,
      user,
      newCounter: result.newCounter,
      meta,
    });
    if (use !== 'accepted') return refuse();
    if (!(await consumeMfaToken(tx, tokenHash, nowMs))) return { ok: false, error: invalidToken };
    if (challenge.lockedUntilSeconds !== null) await resetSecondFactorFailures(core, tx, user.id);
    await recordSecurityEvent(core, tx, user.id, 'mfa_auth_succeeded', meta);
    const deviceToken = await recordCompleteLogin(core, tx, user, meta, device?.presentedToken);
    const sessionId = await startSession(core, tx, { userId: user.id, method: 'password_webauthn', meta });
    const trustedToken = input.trust_device && trusted ? await trustDevice(core, tx, user, meta) : undefined;
    const { passwordProvenAt } = challenge;
    return { ok: true, user, deviceToken, trustedToken, passwordProvenAt, sessionId };
  });
  if (!outcome.ok) throw outcome.error();
  if (outcome.deviceToken) device?.keep(outcome.deviceToken);
  if (outcome.trustedToken) trusted?.keep(outcome.trustedToken);
  return issueUserAuth(
    core,
    outcome.user,
    outcome.sessionId,
    {
      passwordAtSec: Math.floor(outcome.passwordProvenAt / 1000),
      secondFactorAtSec: nowSeconds(core.clock),
    },
    true,
  );
}
