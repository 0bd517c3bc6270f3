import { z } from 'zod';
import type { Core } from '../context.js';
import { SECURITY_EVENT_TYPES } from './record.js';

/** Enough history for a settings page; older events stay stored. */
export const SECURITY_EVENTS_PAGE_SIZE = 100;

export const ZSecurityEvent = z.object({
  id: z.string(),
  type: z.enum(SECURITY_EVENT_TYPES),
  clientAddress: z.string().nullable(),
  /** Epoch milliseconds. */
  createdAtMs: z.number().int(),
});
export const ZSecurityEventList = z.object({ events: z.array(ZSecurityEvent) });
export type TSecurityEventList = z.infer<typeof ZSecurityEventList>;

/** The user's security events, newest first (insertion order breaks ties within a millisecond). */
export async function listSecurityEvents(core: Core, userId: string): Promise<TSecurityEventList> {
  const rows = await core.store.events.listNewestOfUser({ userId, limit: SECURITY_EVENTS_PAGE_SIZE });
  return { events: rows as TSecurityEventList['events'] };
}
