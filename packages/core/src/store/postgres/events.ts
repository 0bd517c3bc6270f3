import { desc, eq } from 'drizzle-orm';
import type { EventRepository, NewSecurityEvent, SecurityEventRow } from '../repositories/events.js';
import type { PgDb } from './db.js';
import { securityEvents } from './schema/index.js';

export class PostgresEventRepository implements EventRepository {
  constructor(private readonly db: PgDb) {}

  async insert(event: NewSecurityEvent): Promise<void> {
    await this.db.insert(securityEvents).values(event);
  }

  async listNewestOfUser(query: { userId: string; limit: number }): Promise<SecurityEventRow[]> {
    return (
      this.db
        .select({
          id: securityEvents.id,
          type: securityEvents.type,
          clientAddress: securityEvents.clientAddress,
          adminKeyId: securityEvents.adminKeyId,
          createdAtMs: securityEvents.createdAtMs,
        })
        .from(securityEvents)
        .where(eq(securityEvents.userId, query.userId))
        // `seq` is the insertion order, as SQLite's rowid: it breaks ties within a millisecond.
        .orderBy(desc(securityEvents.createdAtMs), desc(securityEvents.seq))
        .limit(query.limit)
    );
  }

  async anonymiseOfUser(userId: string): Promise<void> {
    await this.db
      .update(securityEvents)
      .set({ userId: null, clientAddress: null })
      .where(eq(securityEvents.userId, userId));
  }
}
