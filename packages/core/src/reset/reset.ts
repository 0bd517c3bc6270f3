import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { hashToken } from '../crypto/token-hash.js';
import { resetRequests } from '../db/schema/index.js';
import { writeTransaction } from '../db/transaction.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import { deleteMfaState } from '../mfa/credential.js';
import { endEarlierSessions } from '../session/end-sessions.js';
import {
  assertSecondFactorNotLocked,
  recordSecondFactorFailure,
  resetSecondFactorFailures,
} from '../throttle/second-factor.js';
import { findUserById, type User } from '../users/find.js';
import type { TUserAuth } from '../users/schemas.js';
import { issueUserAuth } from '../users/user-auth.js';
import { ZResetCode } from './codes.js';
import {
  consumeResetRequest,
  findLiveResetRequestOfUser,
  isResetRequestLive,
  type ResetRequest,
  recordResetRequestFailure,
  verifyResetCodes,
} from './live-request.js';

export const ZResetMfaInput = z.object({
  /** The token from requestMfaReset, or the user id carried by the link in the emails. */
  id: z.string().trim().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
  main_email_code: ZResetCode,
  recovery_email_code: ZResetCode,
});
export type TResetMfaInput = z.infer<typeof ZResetMfaInput>;

const invalidCodes = () => new DomainError('INVALID_CODE', 'invalid or expired reset codes');

/** A token names one request (live or not); a user id names the user's live request, if any. */
function resolveRequest(
  core: Core,
  id: string,
): { user: User; request: ResetRequest | undefined } | undefined {
  const now = core.clock.now();
  const byToken = core.db
    .select()
    .from(resetRequests)
    .where(eq(resetRequests.tokenHash, hashToken(core.keyring, id)))
    .get();
  if (byToken) {
    const user = findUserById(core.db, byToken.userId);
    return user && { user, request: isResetRequestLive(byToken, now) ? byToken : undefined };
  }
  const user = findUserById(core.db, id);
  return user && { user, request: findLiveResetRequestOfUser(core.db, user.id, now) };
}

/**
 * Completes a reset by email: both codes of the live request turn MFA off, consume the
 * request, end every earlier session and log the user in.
 */
export async function resetMfa(core: Core, input: TResetMfaInput, meta: RequestMeta): Promise<TUserAuth> {
  const resolved = resolveRequest(core, input.id);
  if (!resolved) {
    await verifyResetCodes(core, meta, undefined, input.main_email_code, input.recovery_email_code);
    throw new DomainError('NOT_FOUND', 'no such reset request');
  }
  const { user, request } = resolved;
  if (!request) {
    await verifyResetCodes(core, meta, undefined, input.main_email_code, input.recovery_email_code);
    throw invalidCodes();
  }
  assertSecondFactorNotLocked(core, user.id);
  const isValid = await verifyResetCodes(
    core,
    meta,
    request,
    input.main_email_code,
    input.recovery_email_code,
  );
  if (!isValid) {
    writeTransaction(core.db, (tx) => {
      recordResetRequestFailure(tx, request.id);
      recordSecondFactorFailure(core, tx, user, 'second_factor_failed', meta);
    });
    throw invalidCodes();
  }

  const sessionVersion = writeTransaction(core.db, (tx) => {
    assertSecondFactorNotLocked(core, user.id);
    const now = core.clock.now();
    if (!consumeResetRequest(tx, request.id, now)) throw invalidCodes();
    deleteMfaState(tx, user.id, now);
    const version = endEarlierSessions(tx, user.id);
    resetSecondFactorFailures(core, user.id);
    enqueueMail(core, tx, { kind: 'mfa-reset', to: user.email, username: user.username });
    recordSecurityEvent(core, tx, user.id, 'reset_completed', meta);
    return version;
  });
  return issueUserAuth(core, { ...user, sessionVersion });
}
