import { z } from 'zod';
import { type LoginDevice, recordCompleteLogin } from '../auth/proven-login.js';
import { nowSeconds } from '../clock.js';
import type { Core, RequestMeta } from '../context.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { consumeMfaToken, recordMfaTokenFailure } from '../mfa-token/consume.js';
import { startSession } from '../session/start.js';
import { assertLockPassed } from '../throttle/failure-counter.js';
import { recordSecondFactorFailure, resetSecondFactorFailures } from '../throttle/second-factor.js';
import { ZTotpCode } from '../totp/schemas.js';
import { verifyTotp } from '../totp/verify-totp.js';
import { type TrustedBrowser, ZTrustDevice } from '../trusted-devices/token.js';
import { trustDevice } from '../trusted-devices/trust.js';
import type { User } from '../users/find.js';
import type { TUserAuth } from '../users/schemas.js';
import { issueUserAuth } from '../users/user-auth.js';
import { findMfaChallenge } from './challenge.js';
import { openTotpSecret, recordAcceptedTimeStep } from './credential.js';

export const ZAuthMfaInput = z
  .object({
    /** The X-MFA-Token from the password step. */
    token: z.string().trim().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
    code: ZTotpCode,
    /** Trust this browser for 30 days: the password alone logs in on it (docs/contract.md § Trusted devices). */
    trust_device: ZTrustDevice,
  })
  .strict();
export type TAuthMfaInput = z.infer<typeof ZAuthMfaInput>;

const invalidToken = () => new DomainError('INVALID_MFA_TOKEN');
const invalidCode = () => new DomainError('INVALID_CODE');
const replayedCode = () => new DomainError('CODE_REPLAYED');

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
 * The second login step: a live MFA token plus a fresh TOTP code give a session.
 *
 * One write transaction reads the challenge, checks the lock and the code (nothing slow is
 * awaited inside it) and writes the outcome, so no other request or process can use the token,
 * the code or the lock in between: of parallel uses of one token or one code, exactly one
 * succeeds, and parallel guesses are counted one by one.
 * With `trust_device`, the browser (`trusted`, its cookie) is trusted in the same transaction.
 */
export async function authenticateMfa(
  core: Core,
  input: TAuthMfaInput,
  meta: RequestMeta,
  device?: LoginDevice,
  trusted?: TrustedBrowser,
): Promise<TUserAuth> {
  const outcome = await core.store.transaction(async (tx): Promise<Outcome> => {
    const challenge = await findMfaChallenge(core, tx, input.token);
    if (!challenge) return { ok: false, error: invalidToken };
    const { user, credential, tokenHash } = challenge;
    const nowMs = core.clock.now();
    assertLockPassed(challenge.lockedUntilSeconds, Math.floor(nowMs / 1000));

    const result = verifyTotp({
      // No TOTP credential (WebAuthn only): no code matches.
      secret: credential ? openTotpSecret(core, user.id, credential) : undefined,
      code: input.code,
      epochMs: nowMs,
      lastTimeStep: credential?.lastTimeStep ?? 0,
    });
    if (!result.isValid) {
      // A token that died since it was read (parallel wrong codes burned it, or one was
      // accepted) answers as a dead token, like the right code does then: otherwise, of a
      // parallel burst, only the right code would get "token invalid" (docs/contract.md § MFA
      // endpoints). Like any use of a dead token, it counts nothing.
      if (!(await recordMfaTokenFailure(tx, tokenHash, nowMs))) return { ok: false, error: invalidToken };
      await recordSecondFactorFailure(core, tx, user, 'mfa_auth_failed', meta);
      return { ok: false, error: result.reason === 'replayed' ? replayedCode : invalidCode };
    }
    // Both hold inside this transaction; kept as guards on the rows they change.
    if (!(await recordAcceptedTimeStep(tx, user.id, result.timeStep)))
      return { ok: false, error: replayedCode };
    if (!(await consumeMfaToken(tx, tokenHash, nowMs))) return { ok: false, error: invalidToken };
    if (challenge.lockedUntilSeconds !== null) await resetSecondFactorFailures(core, tx, user.id);
    await recordSecurityEvent(core, tx, user.id, 'mfa_auth_succeeded', meta);
    // Password and second step: a complete login (docs/contract.md § MFA endpoints).
    const deviceToken = await recordCompleteLogin(core, tx, user, meta, device?.presentedToken);
    const sessionId = await startSession(core, tx, { userId: user.id, method: 'password_totp', meta });
    // Only where a cookie can carry it: a token no client keeps would trust nothing.
    const trustedToken = input.trust_device && trusted ? await trustDevice(core, tx, user, meta) : undefined;
    const { passwordProvenAt } = challenge;
    return { ok: true, user, deviceToken, trustedToken, passwordProvenAt, sessionId };
  });
  if (!outcome.ok) throw outcome.error();
  if (outcome.deviceToken) device?.keep(outcome.deviceToken);
  if (outcome.trustedToken) trusted?.keep(outcome.trustedToken);
  // The password at the token's issue, the second factor now (docs/contract.md § Re-authentication).
  const proofs = {
    passwordAtSec: Math.floor(outcome.passwordProvenAt / 1000),
    secondFactorAtSec: nowSeconds(core.clock),
  };
  // Its credential was just read and accepted the code: MFA is on.
  return issueUserAuth(core, outcome.user, outcome.sessionId, proofs, true);
}
