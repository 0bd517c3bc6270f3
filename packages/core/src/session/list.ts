import { z } from 'zod';
import type { Core } from '../context.js';
import { SESSION_METHODS } from './methods.js';

const ZSessionInfo = z.object({
  id: z.string(),
  /** The session that asks. */
  isCurrent: z.boolean(),
  method: z.enum(SESSION_METHODS),
  userAgent: z.string().nullable(),
  clientAddress: z.string(),
  createdAtMs: z.number().int(),
  /** Moves at most once a minute. */
  lastSeenAtMs: z.number().int(),
  expiresAtMs: z.number().int(),
});
export const ZSessionList = z.object({ sessions: z.array(ZSessionInfo) });
export type TSessionList = z.infer<typeof ZSessionList>;

/** The user's live sessions, newest first, the asking one marked (docs/contract.md § Sessions). */
export async function listSessions(
  core: Core,
  current: { id: string; userId: string },
): Promise<TSessionList> {
  const rows = await core.store.sessions.listLiveOfUser({ userId: current.userId, nowMs: core.clock.now() });
  return {
    sessions: rows.map((row) => ({
      id: row.id,
      isCurrent: row.id === current.id,
      // Written only from SESSION_METHODS (session/start.ts).
      method: row.method as (typeof SESSION_METHODS)[number],
      userAgent: row.userAgent,
      clientAddress: row.clientAddress,
      createdAtMs: row.createdAtMs,
      lastSeenAtMs: row.lastSeenAtMs,
      expiresAtMs: row.expiresAtMs,
    })),
  };
}
