import type { User } from './find.js';

/**
 * docs/contract.md § Verified addresses: an account whose main email was never verified and
 * that never logged in after registering gives its address back after 7 days, so registering
 * someone else's address cannot keep its owner out for good.
 */
export const UNVERIFIED_ACCOUNT_RELEASE_DAYS = 7;
const RELEASE_AFTER_MS = UNVERIFIED_ACCOUNT_RELEASE_DAYS * 24 * 60 * 60 * 1000;

/** The newest creation time of an account that may be released at `nowMs`. */
export const releasableCreatedBefore = (nowMs: number) => nowMs - RELEASE_AFTER_MS;

export function isReleasable(
  user: Pick<User, 'emailVerifiedAtMs' | 'firstLoginAtMs' | 'createdAtMs'>,
  nowMs: number,
): boolean {
  return (
    user.emailVerifiedAtMs === null &&
    user.firstLoginAtMs === null &&
    user.createdAtMs < releasableCreatedBefore(nowMs)
  );
}
