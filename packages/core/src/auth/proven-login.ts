import { nowSeconds } from '../clock.js';
import type { Core, RequestMeta } from '../context.js';
import { constantTimeEqual } from '../crypto/constant-time-equal.js';
import { hashToken } from '../crypto/token-hash.js';
import { enqueueNotice } from '../notices/budget.js';
import type { Repositories, Tx } from '../store/store.js';
import { addressThrottleSubject } from '../throttle/address-subject.js';
import type { User } from '../users/find.js';

/**
 * docs/contract.md § MFA endpoints: a complete login (password and, with MFA, the second step)
 * proves the client for that account for 30 days, by its address and by a device token.
 * A proven client only gets past the per-address login throttle: it never skips a factor and
 * never escapes the per-account password lock.
 */
export const PROVEN_LOGIN_TTL_SECONDS = 30 * 24 * 60 * 60;
const PROVEN_LOGIN_TTL_MS = PROVEN_LOGIN_TTL_SECONDS * 1000;

/** A nonce per token, so two tokens of one user and second differ. */
const DEVICE_NONCE_BYTES = 12;
/** Longer than any token this issues: not worth checking. */
const MAX_DEVICE_TOKEN_LENGTH = 160;
/** Tells a device token's MAC apart from every other keyed hash made with the token-hash key. */
const DEVICE_TOKEN_PURPOSE = 'device-token';

/**
 * The client's device token (OWASP "device cookie"; a cookie in browsers): the one it
 * presented, if any, and where a new one goes after a complete login.
 */
export interface LoginDevice {
  presentedToken: string | undefined;
  keep(token: string): void;
}

/**
 * A device token is signed, not stored: `<user id>.<expiry, epoch s>.<nonce>.<MAC>`, the MAC a
 * keyed hash (the token-hash key) of the rest. A complete login then writes no row for it; it
 * cannot be revoked before it expires, which is fine for what it does (it only lifts the
 * per-address throttle, never a factor; OWASP "device cookies" sign theirs the same way).
 */
function signDeviceToken(core: Core, userId: string, expiresAtSec: number): string {
  const nonce = Buffer.from(core.random.bytes(DEVICE_NONCE_BYTES)).toString('base64url');
  const payload = `${userId}.${expiresAtSec}.${nonce}`;
  return `${payload}.${hashToken(core.keyring, `${DEVICE_TOKEN_PURPOSE}:${payload}`)}`;
}

function isDeviceTokenOf(core: Core, userId: string, token: string | undefined): boolean {
  if (!token || token.length > MAX_DEVICE_TOKEN_LENGTH) return false;
  const cut = token.lastIndexOf('.');
  if (cut < 0) return false;
  const payload = token.slice(0, cut);
  const expected = hashToken(core.keyring, `${DEVICE_TOKEN_PURPOSE}:${payload}`);
  if (!constantTimeEqual(token.slice(cut + 1), expected)) return false;
  const [owner, expiresAtSec] = payload.split('.');
  // A token of another account proves nothing for this one.
  return owner === userId && Number(expiresAtSec) > nowSeconds(core.clock);
}

/**
 * Whether this client has proven itself for `userId`: a live device token of that user, or a
 * complete login of that user from `address` (a throttle subject) within the last 30 days.
 * Pass `core.store` outside a transaction, its `tx` inside one.
 */
export async function isProvenLogin(
  core: Core,
  repos: Repositories,
  userId: string,
  address: string,
  presentedToken: string | undefined,
): Promise<boolean> {
  const sinceMs = core.clock.now() - PROVEN_LOGIN_TTL_MS;
  if (await repos.provenLogins.isKnownAddress({ userId, address, sinceMs })) return true;
  return isDeviceTokenOf(core, userId, presentedToken);
}

/**
 * Records a complete login inside its write transaction: remembers the address (its throttle
 * subject; addresses older than 30 days are read as unknown and purged by housekeeping) and
 * returns a new device token for the client, unless it already holds a live one of this user
 * (then the client keeps the one it has). A client proven neither way, a new
 * device at a new address, gets the owner a notice (docs/contract.md § Notices).
 */
export async function recordCompleteLogin(
  core: Core,
  tx: Tx,
  user: Pick<User, 'id' | 'email' | 'username'>,
  meta: RequestMeta,
  presentedToken: string | undefined,
): Promise<string | undefined> {
  const userId = user.id;
  const nowMs = core.clock.now();
  const sinceMs = nowMs - PROVEN_LOGIN_TTL_MS;
  const address = addressThrottleSubject(meta.clientAddress);
  const hasDeviceToken = isDeviceTokenOf(core, userId, presentedToken);
  if (!hasDeviceToken && !(await tx.provenLogins.isKnownAddress({ userId, address, sinceMs }))) {
    await enqueueNotice(core, tx, user, 'sign-in', {
      kind: 'new-login',
      to: user.email,
      username: user.username,
      clientAddress: meta.clientAddress,
      at: nowMs,
    });
  }
  await tx.provenLogins.remember({ userId, address, nowMs });
  if (hasDeviceToken) return undefined;
  return signDeviceToken(core, userId, nowSeconds(core.clock) + PROVEN_LOGIN_TTL_SECONDS);
}

/**
 * Registration proves the password from this address: it is the account's first complete login
 * (no factor to skip yet), so the first login from the same client is nothing new.
 */
export async function rememberRegistrationAddress(core: Core, tx: Tx, userId: string, meta: RequestMeta) {
  const address = addressThrottleSubject(meta.clientAddress);
  await tx.provenLogins.remember({ userId, address, nowMs: core.clock.now() });
}
