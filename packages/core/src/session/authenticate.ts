import type { Core } from '../context.js';
import { DomainError } from '../errors.js';
import { findUserById, type User } from '../users/find.js';
import type { Session } from './freshness.js';
import { verifySessionToken } from './jwt.js';

/**
 * Resolves a session JWT to its user and the proofs it carries. A token whose session
 * version is older than the user's (a recover or reset happened since) is refused.
 */
export async function readSession(core: Core, token: string): Promise<Session> {
  const claims = await verifySessionToken(core, token);
  const user = await findUserById(core.store, claims.userId);
  if (!user || user.sessionVersion !== claims.sessionVersion) {
    throw new DomainError('UNAUTHENTICATED', 'missing, invalid or expired session');
  }
  return { user, proofs: claims.proofs };
}

/** Resolves a session JWT to its user (see `readSession`). */
export async function authenticateSession(core: Core, token: string): Promise<User> {
  return (await readSession(core, token)).user;
}
