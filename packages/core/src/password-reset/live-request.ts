import { nowSeconds } from '../clock.js';
import type { Core, RequestMeta } from '../context.js';
import { dummySlowHash, slowVerify } from '../crypto/slow-hash.js';
import type { PasswordResetRow } from '../store/repositories/password-resets.js';
import type { Repositories, Tx } from '../store/store.js';
import { addressThrottleSubject } from '../throttle/address-subject.js';
import { isLocked, recordFailure, type ThrottlePolicy } from '../throttle/failure-counter.js';

/** docs/contract.md § Forgotten password: the code and the link are valid 30 minutes. */
export const PASSWORD_RESET_TTL_SECONDS = 30 * 60;
/** docs/contract.md § Forgotten password: 5 wrong codes from one client address burn a request for it. */
export const PASSWORD_RESET_MAX_FAILURES = 5;
/** At most 3 live requests per account, so asking again never ends the owner's (the oldest ends). */
export const PASSWORD_RESET_MAX_LIVE = 3;

/**
 * Wrong codes per request and client address: the 5th locks that address out of the request
 * for longer than it lives. Not per request alone, or anyone could cancel the owner's request.
 */
const PASSWORD_RESET_ADDRESS_POLICY: ThrottlePolicy = {
  scope: 'password-reset-address',
  maxFailures: PASSWORD_RESET_MAX_FAILURES,
  baseLockSeconds: PASSWORD_RESET_TTL_SECONDS,
  maxLockSeconds: PASSWORD_RESET_TTL_SECONDS,
};

export type PasswordReset = PasswordResetRow;

export function isPasswordResetLive(request: PasswordReset, nowMs: number): boolean {
  return request.consumedAtMs === null && request.expiresAtMs > nowMs;
}

const addressSubject = (requestId: string, clientAddress: string) =>
  `${requestId}|${addressThrottleSubject(clientAddress)}`;

/** Whether 5 wrong codes from this client address burned the request for it. */
export function isPasswordResetBurnedFor(
  core: Core,
  repos: Repositories,
  requestId: string,
  clientAddress: string,
): Promise<boolean> {
  return isLocked(
    repos,
    PASSWORD_RESET_ADDRESS_POLICY,
    addressSubject(requestId, clientAddress),
    nowSeconds(core.clock),
  );
}

/** The user's live requests this address has not burned, oldest first. */
export async function triablePasswordResets(
  core: Core,
  repos: Repositories,
  userId: string,
  clientAddress: string,
): Promise<PasswordReset[]> {
  const live = await repos.passwordResets.findLiveOfUser({ userId, nowMs: core.clock.now() });
  const triable: PasswordReset[] = [];
  for (const request of live) {
    if (!(await isPasswordResetBurnedFor(core, repos, request.id, clientAddress))) triable.push(request);
  }
  return triable;
}

/** One wrong code at each request it was checked against, from this address. */
export async function recordPasswordResetCodeFailure(
  core: Core,
  tx: Tx,
  requests: readonly PasswordReset[],
  clientAddress: string,
): Promise<void> {
  for (const request of requests) {
    await recordFailure(
      tx,
      PASSWORD_RESET_ADDRESS_POLICY,
      addressSubject(request.id, clientAddress),
      nowSeconds(core.clock),
    );
  }
}

/**
 * The request whose code matches. Always checks PASSWORD_RESET_MAX_LIVE hashes (argon2, padded
 * with a dummy), so the time taken tells neither how many requests exist nor whether the
 * account does.
 */
export async function matchPasswordResetCode(
  core: Core,
  meta: RequestMeta,
  requests: readonly PasswordReset[],
  code: string,
): Promise<PasswordReset | undefined> {
  const dummy = await dummySlowHash(core);
  const candidates: { request: PasswordReset | undefined; hash: string }[] = requests
    .slice(-PASSWORD_RESET_MAX_LIVE)
    .map((request) => ({ request, hash: request.codeHash }));
  while (candidates.length < PASSWORD_RESET_MAX_LIVE) candidates.push({ request: undefined, hash: dummy });
  const results = await slowVerify(
    core,
    meta,
    candidates.map((candidate) => [candidate.hash, code] as const),
  );
  return candidates.find((candidate, i) => results[i] && candidate.request !== undefined)?.request;
}
