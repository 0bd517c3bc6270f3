import type { Core } from '../context.js';
import { DomainError } from '../errors.js';
import type { User } from '../users/find.js';
import type { Session } from './freshness.js';
import { verifySessionToken } from './jwt.js';

/** docs/contract.md § Sessions: "last seen" moves at most once a minute per session. */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

const unauthenticated = () => new DomainError('UNAUTHENTICATED', 'missing, invalid or expired session');

/**
 * Resolves a session JWT to its user, its session and the proofs it carries: one indexed read
 * of the session row joined to its user. A token whose session is gone (logged out, ended,
 * recover, reset, password change), expired or another user's is refused.
 */
export async function readSession(core: Core, token: string): Promise<Session> {
  const claims = await verifySessionToken(core, token);
  const found = await core.store.sessions.findWithUser(claims.sessionId);
  const nowMs = core.clock.now();
  // A disable ends the user's sessions; the check stands guard should one ever outlive it.
  if (
    !found ||
    found.user.id !== claims.userId ||
    found.session.expiresAtMs <= nowMs ||
    found.user.disabledAtMs !== null
  ) {
    throw unauthenticated();
  }
  const { session, user } = found;
  const seenBeforeMs = nowMs - LAST_SEEN_RESOLUTION_MS;
  if (session.lastSeenAtMs <= seenBeforeMs) {
    // Guarded: of parallel requests one writes; a session ended meanwhile stays ended.
    await core.store.transaction((tx) => tx.sessions.touch({ id: session.id, nowMs, seenBeforeMs }));
  }
  return { id: session.id, user, proofs: claims.proofs };
}

/** Resolves a session JWT to its user (see `readSession`). */
export async function authenticateSession(core: Core, token: string): Promise<User> {
  return (await readSession(core, token)).user;
}
