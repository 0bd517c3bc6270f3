import { and, count, eq, gt, max } from 'drizzle-orm';
import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { slowHash } from '../crypto/slow-hash.js';
import { hashToken } from '../crypto/token-hash.js';
import { resetRequests } from '../db/schema/index.js';
import { type Tx, writeTransaction } from '../db/transaction.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import { findMfaCredential } from '../mfa/credential.js';
import { findUserByIdentifier } from '../users/find.js';
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
function maySendNow(core: Core, tx: Tx, userId: string): boolean {
  const now = core.clock.now();
  const recent = tx
    .select({ sent: count(), latest: max(resetRequests.createdAt) })
    .from(resetRequests)
    .where(and(eq(resetRequests.userId, userId), gt(resetRequests.createdAt, now - DAY_MS)))
    .get();
  if (!recent || recent.sent === 0) return true;
  if (recent.sent >= RESET_REQUESTS_PER_DAY) return false;
  return recent.latest === null || now - recent.latest >= RESET_REQUEST_INTERVAL_SECONDS * 1000;
}

/** Ends the oldest live requests so that, with the one being made, at most RESET_REQUEST_MAX_LIVE live. */
function makeRoomForRequest(tx: Tx, userId: string, nowMs: number): void {
  const live = findLiveResetRequestsOfUser(tx, userId, nowMs);
  for (const request of live.slice(0, Math.max(0, live.length - RESET_REQUEST_MAX_LIVE + 1))) {
    consumeResetRequest(tx, request.id, nowMs);
  }
}

/**
 * Emails one code to the main and one to the recovery address. Answers a fresh token in
 * every case (unknown account, no MFA, no recovery email, too soon, over the day's cap), and
 * does the same argon2 work in every case, so the answer reveals nothing about the account.
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

  const user = findUserByIdentifier(core.db, input.identifier);
  if (!user?.recoveryEmail || !findMfaCredential(core.db, user.id)) return { token };
  const recoveryEmail = user.recoveryEmail;

  writeTransaction(core.db, (tx) => {
    // Too soon or over the cap: the token names nothing, nothing is sent, live requests stay.
    if (!maySendNow(core, tx, user.id) || !findMfaCredential(core.db, user.id)) return;
    const now = core.clock.now();
    const expiresAt = now + RESET_REQUEST_TTL_SECONDS * 1000;
    makeRoomForRequest(tx, user.id, now);
    tx.insert(resetRequests)
      .values({
        id: core.random.uuid(),
        userId: user.id,
        tokenHash: hashToken(core.keyring, token),
        mainCodeHash,
        recoveryCodeHash,
        expiresAt,
        createdAt: now,
      })
      .run();
    const mail = (to: string, address: 'main' | 'recovery', code: string) =>
      enqueueMail(core, tx, {
        kind: 'reset-code',
        to,
        username: user.username,
        address,
        code,
        userId: user.id,
        expiresAt,
      });
    mail(user.email, 'main', mainCode);
    mail(recoveryEmail, 'recovery', recoveryCode);
    recordSecurityEvent(core, tx, user.id, 'reset_requested', meta);
  });
  return { token };
}
