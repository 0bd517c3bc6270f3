import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { endEarlierSessions } from './end-sessions.js';
import type { Session } from './freshness.js';
import { verifySessionToken } from './jwt.js';

export const ZEndSessionInput = z.strictObject({ id: z.string().min(1).max(128) });
export type TEndSessionInput = z.infer<typeof ZEndSessionInput>;
export const ZEndOtherSessionsResult = z.object({ ended: z.number().int() });
export type TEndOtherSessionsResult = z.infer<typeof ZEndOtherSessionsResult>;

/**
 * Ends one of the user's sessions; its token is refused from then on. Another user's session
 * id answers 404 like an unknown one, so ids tell nothing (docs/contract.md § Sessions).
 */
export async function endSession(
  core: Core,
  session: Session,
  input: TEndSessionInput,
  meta: RequestMeta,
): Promise<void> {
  const userId = session.user.id;
  const isEnded = await core.store.transaction(async (tx) => {
    if (!(await tx.sessions.end({ id: input.id, userId }))) return false;
    await recordSecurityEvent(core, tx, userId, 'session_ended', meta);
    return true;
  });
  if (!isEnded) throw new DomainError('SESSION_NOT_FOUND');
}

/** Ends every session of the user but the asking one. */
export async function endOtherSessions(
  core: Core,
  session: Session,
  meta: RequestMeta,
): Promise<TEndOtherSessionsResult> {
  const userId = session.user.id;
  const ended = await core.store.transaction(async (tx) => {
    const count = await endEarlierSessions(tx, userId, session.id);
    if (count > 0) await recordSecurityEvent(core, tx, userId, 'other_sessions_ended', meta);
    return count;
  });
  return { ended };
}

/**
 * Logout: ends the session the token names, server-side. A token that is not a valid session
 * token ends nothing and is no error: logging out is always possible.
 */
export async function logout(core: Core, token: string | undefined, meta: RequestMeta): Promise<void> {
  if (!token) return;
  const claims = await verifySessionToken(core, token).catch(() => undefined);
  if (!claims) return;
  await core.store.transaction(async (tx) => {
    if (await tx.sessions.end({ id: claims.sessionId, userId: claims.userId })) {
      await recordSecurityEvent(core, tx, claims.userId, 'logged_out', meta);
    }
  });
}
