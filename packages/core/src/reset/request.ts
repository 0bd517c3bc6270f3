import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { slowHash } from '../crypto/slow-hash.js';
import { hashToken } from '../crypto/token-hash.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import { isMfaEnabled } from '../mfa/factors.js';
import type { Tx } from '../store/store.js';
import { findUserById, findUserByIdentifier } from '../users/find.js';
import { ZIdentifier } from '../users/schemas.js';
import { generateResetCode } from './codes.js';
import {
  consumeResetRequest,
  findLiveResetRequestsOfUser,
  RESET_REQUEST_MAX_LIVE,
  RESET_REQUEST_TTL_SECONDS,
} from './live-request.js';

export { RESET_REQUEST_TTL_SECONDS };
/** docs/contract.md § MFA endpoints: at most one request per account per minute… */
export const RESET_REQUEST_INTERVAL_SECONDS = 60;
/** …and 5 per day, so nobody can flood the owner's mailboxes. */
export const RESET_REQUESTS_PER_DAY = 5;
const DAY_MS = 24 * 60 * 60 * 1000;

export const ZRequestResetInput = z
  .object({
    /** Username or email. */
    identifier: ZIdentifier,
  })
  .strict();
export type TRequestResetInput = z.infer<typeof ZRequestResetInput>;

export const ZRequestResetResult = z.object({
  /** Opaque; names the request in PUT /api/user/mfa/reset/{user-id}. */
  token: z.string(),
});
export type TRequestResetResult = z.infer<typeof ZRequestResetResult>;

/** Whether the account may send reset mail now: one request a minute, 5 in any 24 hours. */
async function maySendNow(core: Core, tx: Tx, userId: string): Promise<boolean> {
  const now = core.clock.now();
  const recent = await tx.resetRequests.countMadeSince({ userId, sinceMs: now - DAY_MS });
  if (recent.sent === 0) return true;
  if (recent.sent >= RESET_REQUESTS_PER_DAY) return false;
  return recent.latest === null || now - recent.latest >= RESET_REQUEST_INTERVAL_SECONDS * 1000;
}

/** Ends the oldest live requests so that, with the one being made, at most RESET_REQUEST_MAX_LIVE live. */
async function makeRoomForRequest(tx: Tx, userId: string, nowMs: number): Promise<void> {
  const live = await findLiveResetRequestsOfUser(tx, userId, nowMs);
  for (const request of live.slice(0, Math.max(0, live.length - RESET_REQUEST_MAX_LIVE + 1))) {
    await consumeResetRequest(tx, request.id, nowMs);
  }
}

/**
 * Emails one code to the main and one to the recovery address. Answers a fresh token in
 * every case (unknown account, no MFA, no recovery email, too soon, over the day's cap), and
 * does the same argon2 work in every case, and the paths that write nothing wait as long as
 * the one that writes (./answer-timing.ts), so the answer reveals nothing about the account.
 * A new request leaves the live ones live: nobody can cancel the owner's reset by asking again.
 */
export async function requestMfaReset(
  core: Core,
  input: TRequestResetInput,
  meta: RequestMeta,
): Promise<TRequestResetResult> {
  const token = core.random.uuid();
  const mainCode = generateResetCode(core.random);
  const recoveryCode = generateResetCode(core.random);
  const [mainCodeHash, recoveryCodeHash] = await slowHash(core, meta, [mainCode, recoveryCode]);

  const startedAt = core.resetAnswerTiming.start();
  const wrote = await writeResetRequest(core, input, meta, {
    token,
    mainCode,
    recoveryCode,
    mainCodeHash,
    recoveryCodeHash,
  });
  if (wrote) {
    // The answer waits for the write to be durable (SQLite's group commit): time that too.
    await core.store.settle();
    core.resetAnswerTiming.recordWrite(startedAt);
  } else await core.resetAnswerTiming.padNonWrite(startedAt);
  return { token };
}

interface ResetSecrets {
  token: string;
  mainCode: string;
  recoveryCode: string;
  mainCodeHash: string;
  recoveryCodeHash: string;
}

/** Makes the request and queues its mails when the account qualifies; whether it wrote. */
async function writeResetRequest(
  core: Core,
  input: TRequestResetInput,
  meta: RequestMeta,
  secrets: ResetSecrets,
): Promise<boolean> {
  const { token, mainCode, recoveryCode, mainCodeHash, recoveryCodeHash } = secrets;
  const user = await findUserByIdentifier(core.store, input.identifier);
  // A disabled account is mailed nothing, answered like an unknown one (docs/contract.md § Disabled accounts).
  if (!user?.recoveryEmail || user.disabledAtMs !== null || !(await isMfaEnabled(core.store, user.id)))
    return false;
  const recoveryEmail = user.recoveryEmail;

  return core.store.transaction(async (tx) => {
    // Parallel requests for one account take turns here, so the minute and the day's cap are
    // counted against committed requests (on PostgreSQL each would otherwise see none of the others).
    await tx.users.lock(user.id);
    // Too soon or over the cap: the token names nothing, nothing is sent, live requests stay.
    if (!(await maySendNow(core, tx, user.id)) || !(await isMfaEnabled(tx, user.id))) return false;
    const now = core.clock.now();
    const expiresAtMs = now + RESET_REQUEST_TTL_SECONDS * 1000;
    await makeRoomForRequest(tx, user.id, now);
    await tx.resetRequests.insert({
      id: core.random.uuid(),
      userId: user.id,
      tokenHash: hashToken(core.keyring, token),
      mainCodeHash,
      recoveryCodeHash,
      expiresAtMs,
      createdAtMs: now,
    });
    // The row as this transaction sees it: a verification may have landed since the read above.
    const current = (await findUserById(tx, user.id)) ?? user;
    const unverified = {
      main: current.emailVerifiedAtMs === null,
      recovery:
        current.recoveryEmail === recoveryEmail && current.recoveryEmailVerifiedAtMs !== null
          ? null
          : recoveryEmail,
    };
    const mail = (to: string, address: 'main' | 'recovery', code: string) =>
      enqueueMail(core, tx, user.id, {
        kind: 'reset-code',
        to,
        username: user.username,
        address,
        code,
        userId: user.id,
        expiresAtMs,
        unverified,
      });
    await mail(user.email, 'main', mainCode);
    await mail(recoveryEmail, 'recovery', recoveryCode);
    await recordSecurityEvent(core, tx, user.id, 'reset_requested', meta);
    return true;
  });
}
