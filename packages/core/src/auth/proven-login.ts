import { and, desc, eq, gt, lte, notInArray, sql } from 'drizzle-orm';
import type { Core, RequestMeta } from '../context.js';
import { hashToken } from '../crypto/token-hash.js';
import { preparedPerDb } from '../db/prepared.js';
import { deviceTokens, knownLoginAddresses } from '../db/schema/index.js';
import type { Tx } from '../db/transaction.js';
import { addressThrottleSubject } from '../throttle/address-subject.js';

/**
 * docs/contract.md § MFA endpoints: a complete login (password and, with MFA, the second step)
 * proves the client for that account for 30 days, by its address and by a device token.
 * A proven client only gets past the per-address login throttle: it never skips a factor and
 * never escapes the per-account password lock.
 */
export const PROVEN_LOGIN_TTL_SECONDS = 30 * 24 * 60 * 60;
const PROVEN_LOGIN_TTL_MS = PROVEN_LOGIN_TTL_SECONDS * 1000;

/** Live device tokens kept per user; the oldest ends when a newer one would exceed this. */
export const MAX_DEVICE_TOKENS_PER_USER = 20;

/** 256 random bits, base64url: safe in a cookie, hopeless to guess, so a keyed fast hash stores it. */
const DEVICE_TOKEN_BYTES = 32;
/** Longer than any token this issues: not worth hashing. */
const MAX_DEVICE_TOKEN_LENGTH = 128;

/**
 * The client's device token (OWASP "device cookie"; a cookie in browsers): the one it
 * presented, if any, and where a new one goes after a complete login.
 */
export interface LoginDevice {
  presentedToken: string | undefined;
  keep(token: string): void;
}

const queries = preparedPerDb((db) => ({
  deviceOwner: db
    .select({ userId: deviceTokens.userId })
    .from(deviceTokens)
    .where(
      and(
        eq(deviceTokens.tokenHash, sql.placeholder('tokenHash')),
        gt(deviceTokens.expiresAtMs, sql.placeholder('nowMs')),
      ),
    )
    .prepare(),
  knownAddress: db
    .select({ lastLoginAtMs: knownLoginAddresses.lastLoginAtMs })
    .from(knownLoginAddresses)
    .where(
      and(
        eq(knownLoginAddresses.userId, sql.placeholder('userId')),
        eq(knownLoginAddresses.address, sql.placeholder('address')),
        gt(knownLoginAddresses.lastLoginAtMs, sql.placeholder('sinceMs')),
      ),
    )
    .prepare(),
  rememberAddress: db
    .insert(knownLoginAddresses)
    .values({
      userId: sql.placeholder('userId'),
      address: sql.placeholder('address'),
      lastLoginAtMs: sql.placeholder('nowMs'),
    })
    .onConflictDoUpdate({
      target: [knownLoginAddresses.userId, knownLoginAddresses.address],
      set: { lastLoginAtMs: sql`excluded.last_login_at_ms` },
    })
    .prepare(),
  forgetOldAddresses: db
    .delete(knownLoginAddresses)
    .where(
      and(
        eq(knownLoginAddresses.userId, sql.placeholder('userId')),
        lte(knownLoginAddresses.lastLoginAtMs, sql.placeholder('sinceMs')),
      ),
    )
    .prepare(),
  insertDevice: db
    .insert(deviceTokens)
    .values({
      tokenHash: sql.placeholder('tokenHash'),
      userId: sql.placeholder('userId'),
      expiresAtMs: sql.placeholder('expiresAtMs'),
    })
    .prepare(),
  // Expired tokens of the user go, and all but the newest MAX_DEVICE_TOKENS_PER_USER.
  trimDevices: db
    .delete(deviceTokens)
    .where(
      and(
        eq(deviceTokens.userId, sql.placeholder('userId')),
        sql`(${lte(deviceTokens.expiresAtMs, sql.placeholder('nowMs'))} OR ${notInArray(
          deviceTokens.tokenHash,
          db
            .select({ tokenHash: deviceTokens.tokenHash })
            .from(deviceTokens)
            .where(eq(deviceTokens.userId, sql.placeholder('userId')))
            .orderBy(desc(deviceTokens.expiresAtMs))
            .limit(MAX_DEVICE_TOKENS_PER_USER),
        )})`,
      ),
    )
    .prepare(),
}));

function isDeviceTokenOf(core: Core, userId: string, token: string | undefined): boolean {
  if (!token || token.length > MAX_DEVICE_TOKEN_LENGTH) return false;
  const row = queries(core.db).deviceOwner.get({
    tokenHash: hashToken(core.keyring, token),
    nowMs: core.clock.now(),
  });
  // A token of another account proves nothing for this one.
  return row?.userId === userId;
}

/**
 * Whether this client has proven itself for `userId`: a live device token of that user, or a
 * complete login of that user from `address` (a throttle subject) within the last 30 days.
 */
export function isProvenLogin(
  core: Core,
  userId: string,
  address: string,
  presentedToken: string | undefined,
): boolean {
  const sinceMs = core.clock.now() - PROVEN_LOGIN_TTL_MS;
  if (queries(core.db).knownAddress.get({ userId, address, sinceMs })) return true;
  return isDeviceTokenOf(core, userId, presentedToken);
}

/**
 * Records a complete login inside its write transaction: remembers the address (its throttle
 * subject) and returns a new device token for the client, unless it already holds a live one
 * of this user (then nothing is written for it and the client keeps the one it has).
 */
export function recordCompleteLogin(
  core: Core,
  _tx: Tx,
  userId: string,
  meta: RequestMeta,
  presentedToken: string | undefined,
): string | undefined {
  const q = queries(core.db);
  const nowMs = core.clock.now();
  const sinceMs = nowMs - PROVEN_LOGIN_TTL_MS;
  q.rememberAddress.run({ userId, address: addressThrottleSubject(meta.clientAddress), nowMs });
  q.forgetOldAddresses.run({ userId, sinceMs });
  if (isDeviceTokenOf(core, userId, presentedToken)) return undefined;
  const token = Buffer.from(core.random.bytes(DEVICE_TOKEN_BYTES)).toString('base64url');
  q.insertDevice.run({
    tokenHash: hashToken(core.keyring, token),
    userId,
    expiresAtMs: nowMs + PROVEN_LOGIN_TTL_MS,
  });
  q.trimDevices.run({ userId, nowMs });
  return token;
}
