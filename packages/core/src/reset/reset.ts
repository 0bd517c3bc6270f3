import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { hashToken } from '../crypto/token-hash.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import { deleteMfaState } from '../mfa/credential.js';
import { endEarlierSessions } from '../session/end-sessions.js';
import { startSession } from '../session/start.js';
import type { Repositories } from '../store/store.js';
import {
  anonymousSubject,
  assertAnonymousNotLocked,
  RESET_POLICY,
  recordAnonymousFailure,
  resetAnonymousFailures,
} from '../throttle/anonymous-second-factor.js';
import { revokeAllTrustedDevices } from '../trusted-devices/revoke.js';
import { findUserById, type User } from '../users/find.js';
import { hasNoNul, NO_NUL_MESSAGE, type TUserAuth } from '../users/schemas.js';
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
    id: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(128, 'must be at most 128 characters')
      .refine(hasNoNul, NO_NUL_MESSAGE),
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
async function findNamedRequests(
  core: Core,
  repos: Repositories,
  id: string,
): Promise<{ user: User; requests: ResetRequest[] } | undefined> {
  const now = core.clock.now();
  const byToken = await repos.resetRequests.findByTokenHash(hashToken(core.keyring, id));
  if (byToken) {
    const user = await findUserById(repos, byToken.userId);
    return user && { user, requests: isResetRequestLive(byToken, now) ? [byToken] : [] };
  }
  const user = await findUserById(repos, id);
  return user && { user, requests: await findLiveResetRequestsOfUser(repos, user.id, now) };
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
  await assertAnonymousNotLocked(core, core.store, RESET_POLICY, subject);
  const named = await findNamedRequests(core, core.store, input.id);
  const candidates = named
    ? await triableResetRequests(core, core.store, named.requests, meta.clientAddress)
    : [];
  const match = await matchResetCodes(
    core,
    meta,
    candidates,
    input.main_email_code,
    input.recovery_email_code,
  );
  if (!named || !match) {
    await core.store.transaction(async (tx) => {
      await recordAnonymousFailure(core, tx, RESET_POLICY, subject);
      await recordResetCodesFailure(core, tx, candidates, meta.clientAddress);
      if (named && candidates.length > 0) {
        await recordSecurityEvent(core, tx, named.user.id, 'second_factor_failed', meta);
      }
    });
    throw invalidCodes();
  }

  const { user } = named;
  const sessionId = await core.store.transaction(async (tx) => {
    await assertAnonymousNotLocked(core, tx, RESET_POLICY, subject);
    const now = core.clock.now();
    // Parallel wrong guesses from this address may have burned the request meanwhile.
    if (await isResetRequestBurnedFor(core, tx, match.id, meta.clientAddress)) throw invalidCodes();
    if (!(await consumeResetRequest(tx, match.id, now))) throw invalidCodes();
    await deleteMfaState(tx, user.id, now);
    await endEarlierSessions(tx, user.id);
    await revokeAllTrustedDevices(core, tx, user.id, meta);
    await resetAnonymousFailures(core, tx, RESET_POLICY, subject);
    await enqueueMail(core, tx, user.id, { kind: 'mfa-reset', to: user.email, username: user.username });
    await recordSecurityEvent(core, tx, user.id, 'reset_completed', meta);
    return startSession(core, tx, { userId: user.id, method: 'email_reset', meta });
  });
  // Email codes prove no password: this session is never fresh (docs/contract.md § Re-authentication).
  return issueUserAuth(core, user, sessionId, {});
}
