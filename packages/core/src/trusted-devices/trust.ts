import type { Core, RequestMeta } from '../context.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueNotice } from '../notices/budget.js';
import { USER_AGENT_MAX_CHARS } from '../session/start.js';
import type { Tx } from '../store/store.js';
import type { User } from '../users/find.js';
import { hashTrustedDeviceToken, newTrustedDeviceToken, TRUSTED_DEVICE_TTL_SECONDS } from './token.js';

/** A public id per device, as random as a session id. */
const DEVICE_ID_BYTES = 16;

/**
 * Trusts the browser of a second step that just succeeded, inside its transaction: a new random
 * token whose keyed hash is stored, bound to the user, for 30 days; an event and a notice to the
 * main address (within the sign-in notices' daily cap). Answers the token, for the cookie once the transaction has committed.
 */
export async function trustDevice(core: Core, tx: Tx, user: User, meta: RequestMeta): Promise<string> {
  const token = newTrustedDeviceToken(core);
  const nowMs = core.clock.now();
  const expiresAtMs = nowMs + TRUSTED_DEVICE_TTL_SECONDS * 1000;
  await tx.trustedDevices.insert({
    id: Buffer.from(core.random.bytes(DEVICE_ID_BYTES)).toString('base64url'),
    userId: user.id,
    tokenHash: hashTrustedDeviceToken(core, token) ?? '',
    createdAtMs: nowMs,
    lastUsedAtMs: null,
    expiresAtMs,
    userAgent: meta.userAgent?.slice(0, USER_AGENT_MAX_CHARS) || null,
    clientAddress: meta.clientAddress,
  });
  await recordSecurityEvent(core, tx, user.id, 'device_trusted', meta);
  await enqueueNotice(core, tx, user, 'sign-in', {
    kind: 'device-trusted',
    to: user.email,
    username: user.username,
    clientAddress: meta.clientAddress,
    trustedUntil: expiresAtMs,
  });
  return token;
}

/**
 * Whether the presented token is a live trusted device of `userId`, marking it used if so. One
 * guarded UPDATE decides: another user's, a forged, an expired or a revoked token (also one
 * revoked in parallel) answers false, and the login asks for the second factor as usual.
 */
export async function useTrustedDevice(
  core: Core,
  tx: Tx,
  userId: string,
  presentedToken: string | undefined,
): Promise<boolean> {
  const tokenHash = hashTrustedDeviceToken(core, presentedToken);
  if (!tokenHash) return false;
  return (await tx.trustedDevices.use({ tokenHash, userId, nowMs: core.clock.now() })) !== undefined;
}
