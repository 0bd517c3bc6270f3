import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { recoveryWindows } from '../db/schema/index.js';
import { writeTransaction } from '../db/transaction.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import { consumeRecoveryCode } from '../recovery-codes/consume.js';
import { findUnusedRecoveryCodes } from '../recovery-codes/find-unused.js';
import { matchRecoveryCode } from '../recovery-codes/match.js';
import { ZRecoveryCode } from '../recovery-codes/normalize.js';
import { endEarlierSessions } from '../session/end-sessions.js';
import {
  assertSecondFactorNotLocked,
  recordSecondFactorFailure,
  resetSecondFactorFailures,
} from '../throttle/second-factor.js';
import { findUserByIdentifier } from '../users/find.js';
import { ZIdentifier, ZUserAuth } from '../users/schemas.js';
import { issueUserAuth } from '../users/user-auth.js';
import { findMfaCredential } from './credential.js';

/** CONTRACT.md: after a recover, disable accepts `{}` (or the same code) once for 10 minutes. */
export const RECOVERY_WINDOW_SECONDS = 10 * 60;

export const ZRecoverMfaInput = z.object({
  /** Username or email. */
  identifier: ZIdentifier,
  recovery_code: ZRecoveryCode,
});
export type TRecoverMfaInput = z.infer<typeof ZRecoverMfaInput>;

export const ZRecoverMfaResult = z.object({
  auth: ZUserAuth,
  /** End of the recovery window, epoch seconds. */
  expiresAt: z.number().int(),
});
export type TRecoverMfaResult = z.infer<typeof ZRecoverMfaResult>;

const invalidCode = () => new DomainError('INVALID_CODE', 'invalid identifier or recovery code');

/**
 * Logs in with a recovery code instead of TOTP: the code is consumed, every earlier session
 * ends, and a recovery window opens (replacing any open one) in which disable needs no proof.
 */
export async function recoverWithCode(
  core: Core,
  input: TRecoverMfaInput,
  meta: RequestMeta,
): Promise<TRecoverMfaResult> {
  const user = findUserByIdentifier(core.db, input.identifier);
  const hasMfa = user !== undefined && findMfaCredential(core.db, user.id) !== undefined;
  if (!user || !hasMfa) {
    // The same argon2 work as a wrong code, so nothing tells which accounts exist or have MFA.
    await matchRecoveryCode(core, meta, [], input.recovery_code);
    throw invalidCode();
  }
  assertSecondFactorNotLocked(core, user.id);
  const match = await matchRecoveryCode(
    core,
    meta,
    findUnusedRecoveryCodes(core.db, user.id),
    input.recovery_code,
  );
  if (!match) {
    writeTransaction(core.db, (tx) =>
      recordSecondFactorFailure(core, tx, user, 'second_factor_failed', meta),
    );
    throw invalidCode();
  }

  const { sessionVersion, expiresAtMs } = writeTransaction(core.db, (tx) => {
    assertSecondFactorNotLocked(core, user.id);
    const now = core.clock.now();
    if (!consumeRecoveryCode(tx, match.id, now)) throw invalidCode();
    const expiresAt = now + RECOVERY_WINDOW_SECONDS * 1000;
    tx.insert(recoveryWindows)
      .values({ userId: user.id, recoveryCodeId: match.id, expiresAt, usedAt: null })
      .onConflictDoUpdate({
        target: recoveryWindows.userId,
        set: { recoveryCodeId: match.id, expiresAt, usedAt: null },
      })
      .run();
    const sessionVersion = endEarlierSessions(tx, user.id);
    resetSecondFactorFailures(core, user.id);
    enqueueMail(core, tx, { kind: 'recovery-code-used', to: user.email, username: user.username });
    recordSecurityEvent(core, tx, user.id, 'recovery_code_used', meta);
    return { sessionVersion, expiresAtMs: expiresAt };
  });
  const auth = await issueUserAuth(core, { ...user, sessionVersion });
  return { auth, expiresAt: Math.floor(expiresAtMs / 1000) };
}
