import type { Core } from '../context.js';
import { DomainError } from '../errors.js';
import type { SessionRow } from '../store/repositories/sessions.js';
import type { User } from '../users/find.js';
import type { Session } from './freshness.js';
import { type VerifiedSessionClaims, verifySessionToken } from './jwt.js';

/** docs/contract.md § Sessions: "last seen" moves at most once a minute per session. */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

const unauthenticated = () => new DomainError('UNAUTHENTICATED');

/** A token whose session is live: its verified claims, the session row and its user. */
export interface LiveSession {
  claims: VerifiedSessionClaims;
  row: SessionRow;
  user: User;
}

/**
 * The one check of a session token, for every protected request and for introspection
 * (docs/contract.md § Sessions): the signature under the key its `kid` names, then one indexed
 * read of the session row joined to its user. A token whose session is gone (logged out, ended,
 * recover, reset, password change), expired or another user's is refused, and so is a session of
 * a disabled account.
 */
export async function readLiveSession(core: Core, token: string): Promise<LiveSession> {
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
  return { claims, row: session, user };
}

/** Resolves a session JWT to its user, its session and the proofs it carries (see `readLiveSession`). */
export async function readSession(core: Core, token: string): Promise<Session> {
  const { claims, row, user } = await readLiveSession(core, token);
  return { id: row.id, user, proofs: claims.proofs };
}

/** Resolves a session JWT to its user (see `readSession`). */
export async function authenticateSession(core: Core, token: string): Promise<User> {
  return (await readSession(core, token)).user;
}
