import { generateAuthenticationOptions } from '@simplewebauthn/server';
import { z } from 'zod';
import { type LoginDevice, recordCompleteLogin } from '../auth/proven-login.js';
import { nowSeconds } from '../clock.js';
import type { Core, RequestMeta } from '../context.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { startSession } from '../session/start.js';
import {
  anonymousSubject,
  assertAnonymousNotLocked,
  recordAnonymousFailure,
  resetAnonymousFailures,
} from '../throttle/anonymous-second-factor.js';
import { SECOND_FACTOR_POLICY, type ThrottlePolicy } from '../throttle/failure-counter.js';
import { findUserById, type User } from '../users/find.js';
import type { TUserAuth } from '../users/schemas.js';
import { issueUserAuth } from '../users/user-auth.js';
import { challengeOf } from './challenges.js';
import { encodedUserHandleOf } from './credentials.js';
import {
  claimPasswordlessChallenge,
  issuePasswordlessChallenge,
  openPasswordlessChallenge,
} from './passwordless-challenge.js';
import { recordCredentialUse } from './record-use.js';
import { relyingPartyOf } from './relying-party.js';
import { asRequestOptions, ZAuthenticationResponse } from './schemas.js';
import type { TWebAuthnAssertionOptions } from './second-step.js';
import { verifyAssertion } from './verify-assertion.js';

/**
 * docs/contract.md § Failed attempts: passkey login is anonymous, so its failures count per
 * credential id as sent and client address, never on the user's counter (nobody can lock an
 * owner out by replaying their credential id).
 */
const { maxFailures, baseLockSeconds, maxLockSeconds } = SECOND_FACTOR_POLICY;
export const PASSKEY_LOGIN_POLICY: ThrottlePolicy = {
  scope: 'passkey',
  maxFailures,
  baseLockSeconds,
  maxLockSeconds,
};

export const ZPasskeyLoginInput = z.object({ response: ZAuthenticationResponse }).strict();
export type TPasskeyLoginInput = z.infer<typeof ZPasskeyLoginInput>;

const invalidAssertion = () => new DomainError('INVALID_ASSERTION', 'the passkey was not accepted');

/**
 * Options for a passkey login: no credential list (the browser offers discoverable ones), user
 * verification required. Nothing is stored: the challenge is signed (passwordless-challenge.ts).
 */
export async function startPasskeyLogin(core: Core): Promise<TWebAuthnAssertionOptions> {
  const options = await generateAuthenticationOptions({
    rpID: relyingPartyOf(core.config).id,
    userVerification: 'required',
    challenge: issuePasswordlessChallenge(core),
  });
  return { options: asRequestOptions(options) };
}

type Outcome = { ok: true; user: User; deviceToken: string | undefined; sessionId: string } | { ok: false };

/**
 * Logs in with a discoverable credential the user allowed for it, verified with user
 * verification: a complete login, without the password (the passkey proves both factors).
 * Order: lock of this credential id and address (429) → challenge issued by us and live (401,
 * not counted: no proof was checked) → credential allowed (401, counted) → challenge claimed
 * (401, not counted: a replay) → assertion (401, counted).
 */
export async function loginWithPasskey(
  core: Core,
  input: TPasskeyLoginInput,
  meta: RequestMeta,
  device?: LoginDevice,
): Promise<TUserAuth> {
  const subject = anonymousSubject(core, `passkey:${input.response.id}`, meta.clientAddress);
  await assertAnonymousNotLocked(core, core.store, PASSKEY_LOGIN_POLICY, subject);
  const challenge = openPasswordlessChallenge(core, challengeOf(input.response));
  if (!challenge) throw invalidAssertion();

  const credential = await core.store.webauthnCredentials.findByCredentialId(input.response.id);
  const userHandle = input.response.response.userHandle;
  const isUsable =
    credential?.isPasswordlessAllowed === true &&
    (userHandle === undefined || userHandle === encodedUserHandleOf(credential.userId));
  // Only an answer naming a usable credential stores the challenge (as used): made-up
  // credential ids fail here, counted, and leave nothing behind.
  if (isUsable) {
    const isClaimed = await core.store.transaction((tx) => claimPasswordlessChallenge(core, tx, challenge));
    if (!isClaimed) throw invalidAssertion();
  }
  const result = isUsable
    ? await verifyAssertion(core, {
        response: input.response,
        expectedChallenge: challenge.challenge,
        credential,
        requireUserVerification: true,
      })
    : { isValid: false as const };

  const outcome = await core.store.transaction(async (tx): Promise<Outcome> => {
    const refuse = async (): Promise<Outcome> => {
      await recordAnonymousFailure(core, tx, PASSKEY_LOGIN_POLICY, subject);
      return { ok: false };
    };
    if (!result.isValid || !credential) return refuse();
    // Ordered with every other change of this user's MFA state (a removal of this credential).
    await tx.users.lock(credential.userId);
    const user = await findUserById(tx, credential.userId);
    if (!user) return refuse();
    const use = await recordCredentialUse(core, tx, {
      credentialId: credential.credentialId,
      user,
      newCounter: result.newCounter,
      meta,
    });
    if (use !== 'accepted') return refuse();
    await resetAnonymousFailures(core, tx, PASSKEY_LOGIN_POLICY, subject);
    await recordSecurityEvent(core, tx, user.id, 'passkey_login_succeeded', meta);
    const deviceToken = await recordCompleteLogin(core, tx, user, meta, device?.presentedToken);
    const sessionId = await startSession(core, tx, { userId: user.id, method: 'passkey', meta });
    return { ok: true, user, deviceToken, sessionId };
  });
  if (!outcome.ok) throw invalidAssertion();
  if (outcome.deviceToken) device?.keep(outcome.deviceToken);
  // A user-verified passkey proves the password's part and the second factor (docs/contract.md § Re-authentication).
  const nowSec = nowSeconds(core.clock);
  return issueUserAuth(
    core,
    outcome.user,
    outcome.sessionId,
    { passwordAtSec: nowSec, secondFactorAtSec: nowSec },
    true,
  );
}
