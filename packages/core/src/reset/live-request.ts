import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Core, RequestMeta } from '../context.js';
import { dummySlowHash, slowVerify } from '../crypto/slow-hash.js';
import type { Db } from '../db/open.js';
import { resetRequests } from '../db/schema/index.js';
import type { Tx } from '../db/transaction.js';

/** CONTRACT.md: 5 wrong tries burn a reset request. */
export const RESET_REQUEST_MAX_FAILURES = 5;

export type ResetRequest = typeof resetRequests.$inferSelect;

const isLive = (nowMs: number) =>
  and(
    isNull(resetRequests.consumedAt),
    gt(resetRequests.expiresAt, nowMs),
    lt(resetRequests.failedAttempts, RESET_REQUEST_MAX_FAILURES),
  );

export function isResetRequestLive(request: ResetRequest, nowMs: number): boolean {
  return (
    request.consumedAt === null &&
    request.expiresAt > nowMs &&
    request.failedAttempts < RESET_REQUEST_MAX_FAILURES
  );
}

/** The user's live request (a new request retires the previous, so there is at most one). */
export function findLiveResetRequestOfUser(db: Db | Tx, userId: string, nowMs: number) {
  return db
    .select()
    .from(resetRequests)
    .where(and(eq(resetRequests.userId, userId), isLive(nowMs)))
    .orderBy(desc(resetRequests.createdAt))
    .get();
}

/** Single use: true only for the request whose UPDATE changed the row. */
export function consumeResetRequest(tx: Tx, requestId: string, nowMs: number): boolean {
  return (
    tx
      .update(resetRequests)
      .set({ consumedAt: nowMs })
      .where(and(eq(resetRequests.id, requestId), isLive(nowMs)))
      .run().changes === 1
  );
}

export function recordResetRequestFailure(tx: Tx, requestId: string): void {
  tx.update(resetRequests)
    .set({ failedAttempts: sql`${resetRequests.failedAttempts} + 1` })
    .where(eq(resetRequests.id, requestId))
    .run();
}

/**
 * Both codes are always checked (argon2, in parallel), and against a dummy when there is
 * no request, so the time taken does not tell which code was wrong or whether one exists.
 */
export async function verifyResetCodes(
  core: Core,
  meta: RequestMeta,
  request: Pick<ResetRequest, 'mainCodeHash' | 'recoveryCodeHash'> | undefined,
  mainCode: string,
  recoveryCode: string,
): Promise<boolean> {
  const dummy = await dummySlowHash();
  const [main, recovery] = await slowVerify(core, meta, [
    [request?.mainCodeHash ?? dummy, mainCode],
    [request?.recoveryCodeHash ?? dummy, recoveryCode],
  ]);
  return request !== undefined && main && recovery;
}
