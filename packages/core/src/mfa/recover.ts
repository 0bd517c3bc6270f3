import { z } from 'zod';
import { nowSeconds } from '../clock.js';
import type { Core, RequestMeta } from '../context.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import { consumeRecoveryCode } from '../recovery-codes/consume.js';
import { findUnusedRecoveryCodes } from '../recovery-codes/find-unused.js';
import { matchRecoveryCode } from '../recovery-codes/match.js';
import { ZRecoveryCode } from '../recovery-codes/normalize.js';
import { endEarlierSessions } from '../session/end-sessions.js';
import { startSession } from '../session/start.js';
import {
  anonymousSubject,
  assertAnonymousNotLocked,
  RECOVER_POLICY,
  recordAnonymousFailure,
  resetAnonymousFailures,
} from '../throttle/anonymous-second-factor.js';
import { revokeAllTrustedDevices } from '../trusted-devices/revoke.js';
import { findUserByIdentifier } from '../users/find.js';
import { ZIdentifier, ZUserAuth } from '../users/schemas.js';
import { issueUserAuth } from '../users/user-auth.js';
import { isMfaEnabled } from './factors.js';

/** docs/contract.md: after a recover, disable accepts `{}` (or the same code) once for 10 minutes. */
export const RECOVERY_WINDOW_SECONDS = 10 * 60;

export const ZRecoverMfaInput = z
  .object({
    /** Username or email. */
    identifier: ZIdentifier,
    recovery_code: ZRecoveryCode,
  })
  .strict();
export type TRecoverMfaInput = z.infer<typeof ZRecoverMfaInput>;

export const ZRecoverMfaResult = z.object({
  auth: ZUserAuth,
  /** End of the recovery window, epoch seconds. */
  expiresAtSeconds: z.number().int(),
});
export type TRecoverMfaResult = z.infer<typeof ZRecoverMfaResult>;

const invalidCode = () => new DomainError('INVALID_CODE', 'invalid identifier or recovery code');

/**
 * Logs in with a recovery code instead of TOTP: the code is consumed, every earlier session
 * ends, and a recovery window opens (replacing any open one) in which disable needs no proof.
 * Failures count per identifier and client address, never per user (docs/contract.md § MFA
 * endpoints): unknown names, accounts without MFA and wrong codes are counted and answered alike.
 */
export async function recoverWithCode(
  core: Core,
  input: TRecoverMfaInput,
  meta: RequestMeta,
): Promise<TRecoverMfaResult> {
  const subject = anonymousSubject(core, input.identifier, meta.clientAddress);
  await assertAnonymousNotLocked(core, core.store, RECOVER_POLICY, subject);
  const user = await findUserByIdentifier(core.store, input.identifier);
  const hasMfa = user !== undefined && (await isMfaEnabled(core.store, user.id));
  // The same argon2 work without an account or MFA, so nothing tells which accounts exist or have MFA.
  const candidates = user && hasMfa ? await findUnusedRecoveryCodes(core.store, user.id) : [];
  const match = await matchRecoveryCode(core, meta, candidates, input.recovery_code);
  if (!user || !match) {
    await core.store.transaction(async (tx) => {
      await recordAnonymousFailure(core, tx, RECOVER_POLICY, subject);
      if (user && hasMfa) await recordSecurityEvent(core, tx, user.id, 'second_factor_failed', meta);
    });
    throw invalidCode();
  }

  const { sessionId, expiresAtMs } = await core.store.transaction(async (tx) => {
    // One change of the user's MFA state at a time (a parallel disable deletes what this writes).
    await tx.users.lock(user.id);
    await assertAnonymousNotLocked(core, tx, RECOVER_POLICY, subject);
    const now = core.clock.now();
    if (!(await consumeRecoveryCode(tx, match.id, now))) throw invalidCode();
    const expiresAtMs = now + RECOVERY_WINDOW_SECONDS * 1000;
    await tx.recoveryWindows.open({ userId: user.id, recoveryCodeId: match.id, expiresAtMs });
    await endEarlierSessions(tx, user.id);
    // The second factor may be lost or stolen: no browser skips it any more.
    await revokeAllTrustedDevices(core, tx, user.id, meta);
    const sessionId = await startSession(core, tx, { userId: user.id, method: 'recovery_code', meta });
    // Only this identifier's streak from this address: the per-user count is not this path's.
    await resetAnonymousFailures(core, tx, RECOVER_POLICY, subject);
    const remaining = (await findUnusedRecoveryCodes(tx, user.id)).length;
    await enqueueMail(core, tx, user.id, {
      kind: 'recovery-code-used',
      to: user.email,
      username: user.username,
      remaining,
    });
    await recordSecurityEvent(core, tx, user.id, 'recovery_code_used', meta);
    return { sessionId, expiresAtMs };
  });
  // A recovery code alone proves no password: this session is never fresh (docs/contract.md § Re-authentication).
  // A recovery code proves a second factor, never the password: the session is not fresh
  // until the password is proven too (docs/contract.md § Re-authentication).
  const auth = await issueUserAuth(core, user, sessionId, { secondFactorAtSec: nowSeconds(core.clock) });
  return { auth, expiresAtSeconds: Math.floor(expiresAtMs / 1000) };
}
