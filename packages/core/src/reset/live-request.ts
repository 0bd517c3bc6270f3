import { nowSeconds } from '../clock.js';
import type { Core, RequestMeta } from '../context.js';
import { dummySlowHash, slowVerify } from '../crypto/slow-hash.js';
import type { ResetRequestRow } from '../store/repositories/reset-requests.js';
import type { Repositories, Tx } from '../store/store.js';
import { addressThrottleSubject } from '../throttle/address-subject.js';
import { isLocked, recordFailure, type ThrottlePolicy } from '../throttle/failure-counter.js';

/** docs/contract.md § MFA endpoints: the emailed codes are valid 24 hours. */
export const RESET_REQUEST_TTL_SECONDS = 24 * 60 * 60;
/** docs/contract.md § MFA endpoints: 5 wrong tries from one client address burn a request for that address. */
export const RESET_REQUEST_MAX_FAILURES = 5;
/**
 * docs/contract.md § MFA endpoints: at most 3 live requests per account, so a new request never
 * ends the owner's (the oldest ends when a fourth is made).
 */
export const RESET_REQUEST_MAX_LIVE = 3;

/**
 * Wrong codes per request and client address. The 5th locks that address out of the request
 * for longer than the request lives: burned for it, not for the owner, since user ids are not
 * secret and anyone can send codes for one.
 */
const RESET_REQUEST_ADDRESS_POLICY: ThrottlePolicy = {
  scope: 'reset-request-address',
  maxFailures: RESET_REQUEST_MAX_FAILURES,
  baseLockSeconds: RESET_REQUEST_TTL_SECONDS,
  maxLockSeconds: RESET_REQUEST_TTL_SECONDS,
};

export type ResetRequest = ResetRequestRow;

export function isResetRequestLive(request: ResetRequest, nowMs: number): boolean {
  return request.consumedAtMs === null && request.expiresAtMs > nowMs;
}

/** The user's live requests, oldest first (at most RESET_REQUEST_MAX_LIVE). */
export async function findLiveResetRequestsOfUser(
  repos: Repositories,
  userId: string,
  nowMs: number,
): Promise<ResetRequest[]> {
  return repos.resetRequests.findLiveOfUser({ userId, nowMs });
}

/** Single use: true only for the request whose UPDATE changed the row. */
export async function consumeResetRequest(tx: Tx, requestId: string, nowMs: number): Promise<boolean> {
  return tx.resetRequests.consume({ id: requestId, nowMs });
}

const addressSubject = (requestId: string, clientAddress: string) =>
  `${requestId}|${addressThrottleSubject(clientAddress)}`;

/** Whether 5 wrong tries from this client address burned the request for it. */
export async function isResetRequestBurnedFor(
  core: Core,
  repos: Repositories,
  requestId: string,
  clientAddress: string,
): Promise<boolean> {
  return isLocked(
    repos,
    RESET_REQUEST_ADDRESS_POLICY,
    addressSubject(requestId, clientAddress),
    nowSeconds(core.clock),
  );
}

/** The requests this address may still try: the ones it has not burned. */
export async function triableResetRequests(
  core: Core,
  repos: Repositories,
  requests: readonly ResetRequest[],
  clientAddress: string,
): Promise<ResetRequest[]> {
  const triable: ResetRequest[] = [];
  for (const request of requests) {
    if (!(await isResetRequestBurnedFor(core, repos, request.id, clientAddress))) triable.push(request);
  }
  return triable;
}

/** One wrong try at each request the codes were checked against, from this address. */
export async function recordResetCodesFailure(
  core: Core,
  tx: Tx,
  requests: readonly ResetRequest[],
  clientAddress: string,
): Promise<void> {
  for (const request of requests) {
    await recordFailure(
      tx,
      RESET_REQUEST_ADDRESS_POLICY,
      addressSubject(request.id, clientAddress),
      nowSeconds(core.clock),
    );
  }
}

/**
 * The request whose two codes both match. Always checks RESET_REQUEST_MAX_LIVE pairs (argon2,
 * in parallel), padding with a dummy, so the time taken tells neither which code was wrong nor
 * how many requests exist, nor whether the account does.
 */
export async function matchResetCodes(
  core: Core,
  meta: RequestMeta,
  requests: readonly ResetRequest[],
  mainCode: string,
  recoveryCode: string,
): Promise<ResetRequest | undefined> {
  const dummy = await dummySlowHash(core);
  const pairs: { request: ResetRequest | undefined; mainHash: string; recoveryHash: string }[] = requests
    .slice(0, RESET_REQUEST_MAX_LIVE)
    .map((request) => ({ request, mainHash: request.mainCodeHash, recoveryHash: request.recoveryCodeHash }));
  while (pairs.length < RESET_REQUEST_MAX_LIVE)
    pairs.push({ request: undefined, mainHash: dummy, recoveryHash: dummy });
  // One admission to the slow-hash queue for every pair: all of them run, or the request gets 503.
  const results = await slowVerify(
    core,
    meta,
    pairs.flatMap((pair) => [[pair.mainHash, mainCode] as const, [pair.recoveryHash, recoveryCode] as const]),
  );
  return pairs.find((pair, i) => results[2 * i] && results[2 * i + 1] && pair.request !== undefined)?.request;
}
