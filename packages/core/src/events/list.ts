import { desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Core } from '../context.js';
import { securityEvents } from '../db/schema/index.js';
import { SECURITY_EVENT_TYPES } from './record.js';

/** Enough history for a settings page; older events stay stored. */
export const SECURITY_EVENTS_PAGE_SIZE = 100;

export const ZSecurityEvent = z.object({
  id: z.string(),
  type: z.enum(SECURITY_EVENT_TYPES),
  clientAddress: z.string().nullable(),
  /** Epoch milliseconds. */
  createdAt: z.number().int(),
});
export const ZSecurityEventList = z.object({ events: z.array(ZSecurityEvent) });
export type TSecurityEventList = z.infer<typeof ZSecurityEventList>;

/** The user's security events, newest first (insertion order breaks ties within a millisecond). */
export function listSecurityEvents(core: Core, userId: string): TSecurityEventList {
  const rows = core.db
    .select({
      id: securityEvents.id,
      type: securityEvents.type,
      clientAddress: securityEvents.clientAddress,
      createdAt: securityEvents.createdAt,
    })
    .from(securityEvents)
    .where(eq(securityEvents.userId, userId))
    .orderBy(desc(securityEvents.createdAt), desc(sql`rowid`))
    .limit(SECURITY_EVENTS_PAGE_SIZE)
    .all();
  return { events: rows as TSecurityEventList['events'] };
}
