import type { Core, RequestMeta } from '../context.js';
import { DomainError } from '../errors.js';
import type { Tx } from '../store/store.js';
import { assertAccountEnabled } from '../users/disabled.js';
import { SESSION_TTL_SECONDS } from './jwt.js';
import type { SessionMethod } from './methods.js';

/** 128 random bits: a session id is not guessable, though only a signed JWT can present one. */
const SESSION_ID_BYTES = 16;
/** User agents are shown, never parsed: a bounded prefix is enough. */
export const USER_AGENT_MAX_CHARS = 256;

const newSessionId = (core: Core) => Buffer.from(core.random.bytes(SESSION_ID_BYTES)).toString('base64url');

/**
 * Gives the session a new id inside the caller's transaction: every token naming the old one
 * dies, the session itself (method, device, times) goes on. Returns the new id, or undefined
 * when the session has ended meanwhile.
 */
export async function rotateSession(core: Core, tx: Tx, id: string): Promise<string | undefined> {
  const newId = newSessionId(core);
  return (await tx.sessions.rotate({ id, newId })) ? newId : undefined;
}

/**
 * Creates the server-side session of a login inside the login's own transaction (one commit per
 * login). Expired sessions are left to housekeeping (docs/contract.md § Housekeeping): every
 * read filters on expiry, and a delete here would cost every login a statement (a round trip
 * on PostgreSQL).
 * Every way of logging in comes through here, so none starts a session for a disabled account
 * (ACCOUNT_DISABLED, the transaction rolls back), and the first login after registration is
 * recorded here (it keeps the account's address, docs/contract.md § Verified addresses).
 * Returns the id the JWT carries as `sid`.
 */
export async function startSession(
  core: Core,
  tx: Tx,
  login: { userId: string; method: SessionMethod; meta: RequestMeta },
): Promise<string> {
  const state = await assertAccountEnabled(tx, login.userId);
  // Deleted or released while this login was being checked.
  if (!state) throw new DomainError('UNAUTHENTICATED', 'this account no longer exists');
  const nowMs = core.clock.now();
  if (login.method !== 'registration' && state.firstLoginAtMs === null)
    await tx.users.recordFirstLogin({ userId: login.userId, atMs: nowMs });
  const id = newSessionId(core);
  await tx.sessions.insert({
    id,
    userId: login.userId,
    method: login.method,
    createdAtMs: nowMs,
    lastSeenAtMs: nowMs,
    expiresAtMs: nowMs + SESSION_TTL_SECONDS * 1000,
    userAgent: login.meta.userAgent?.slice(0, USER_AGENT_MAX_CHARS) || null,
    clientAddress: login.meta.clientAddress,
  });
  return id;
}
