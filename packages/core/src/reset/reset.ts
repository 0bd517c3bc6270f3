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
  anonymousSubject,
  assertAnonymousNotLocked,
  RESET_POLICY,
  recordAnonymousFailure,
  resetAnonymousFailures,
} from '../throttle/anonymous-second-factor.js';
import { findUserById, type User } from '../users/find.js';
import type { TUserAuth } from '../users/schemas.js';
import { issueUserAuth } from '../users/user-auth.js';
import { ZResetCode } from './codes.js';
import {
  consumeResetRequest,
  findLiveResetRequestsOfUser,
  isResetRequestBurnedFor,
  isResetRequestLive,
  matchResetCodes,
  type ResetRequest,
  recordResetCodesFailure,
  triableResetRequests,
} from './live-request.js';

export const ZResetMfaInput = z
  .object({
    /** The token from requestMfaReset, or the user id carried by the link in the emails. */
    id: z.string().trim().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
    main_email_code: ZResetCode,
    recovery_email_code: ZResetCode,
  })
  .strict();
export type TResetMfaInput = z.infer<typeof ZResetMfaInput>;

const invalidCodes = () => new DomainError('INVALID_CODE', 'invalid or expired reset codes');

/**
 * The live requests `id` names: a token its own request, a user id every live request of the
 * user (the link in each email carries the user id). Unknown, consumed, expired: none.
 */
function findNamedRequests(core: Core, id: string): { user: User; requests: ResetRequest[] } | undefined {
  const now = core.clock.now();
  const byToken = core.db
    .select()
    .from(resetRequests)
    .where(eq(resetRequests.tokenHash, hashToken(core.keyring, id)))
    .get();
  if (byToken) {
    const user = findUserById(core.db, byToken.userId);
    return user && { user, requests: isResetRequestLive(byToken, now) ? [byToken] : [] };
  }
  const user = findUserById(core.db, id);
  return user && { user, requests: findLiveResetRequestsOfUser(core.db, user.id, now) };
}

/**
 * Completes a reset by email: both codes of a live request turn MFA off, consume the request,
 * end every earlier session and log the user in. Anonymous (docs/contract.md § MFA endpoints):
 * failures count per id as sent and client address, and burn a request for that address only;
 * an id that names no live request (unknown, consumed, expired, burned, the unusable token of an
 * unknown account or a throttled request) answers 401 like wrong codes, after the same work.
 */
export async function resetMfa(core: Core, input: TResetMfaInput, meta: RequestMeta): Promise<TUserAuth> {
  const subject = anonymousSubject(core, input.id, meta.clientAddress);
  assertAnonymousNotLocked(core, RESET_POLICY, subject);
  const named = findNamedRequests(core, input.id);
  const candidates = named ? triableResetRequests(core, named.requests, meta.clientAddress) : [];
  const match = await matchResetCodes(
    core,
    meta,
    candidates,
    input.main_email_code,
    input.recovery_email_code,
  );
  if (!named || !match) {
    writeTransaction(core.db, (tx) => {
      recordAnonymousFailure(core, tx, RESET_POLICY, subject);
      recordResetCodesFailure(core, tx, candidates, meta.clientAddress);
      if (named && candidates.length > 0) {
        recordSecurityEvent(core, tx, named.user.id, 'second_factor_failed', meta);
      }
    });
    throw invalidCodes();
  }

  const { user } = named;
  const sessionVersion = writeTransaction(core.db, (tx) => {
    assertAnonymousNotLocked(core, RESET_POLICY, subject);
    const now = core.clock.now();
    // Parallel wrong guesses from this address may have burned the request meanwhile.
    if (isResetRequestBurnedFor(core, match.id, meta.clientAddress)) throw invalidCodes();
    if (!consumeResetRequest(tx, match.id, now)) throw invalidCodes();
    deleteMfaState(tx, user.id, now);
    const version = endEarlierSessions(tx, user.id);
    resetAnonymousFailures(core, RESET_POLICY, subject);
    enqueueMail(core, tx, { kind: 'mfa-reset', to: user.email, username: user.username });
    recordSecurityEvent(core, tx, user.id, 'reset_completed', meta);
    return version;
  });
  // Email codes prove no password: this session is never fresh (docs/contract.md § Re-authentication).
  return issueUserAuth(core, { ...user, sessionVersion }, {});
}
