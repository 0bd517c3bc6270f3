import { desc, eq, sql } from 'drizzle-orm';
import type { EventRepository, NewSecurityEvent, SecurityEventRow } from '../repositories/events.js';
import type { Db } from './open.js';
import { securityEvents } from './schema/index.js';

function prepare(db: Db) {
  return {
    insert: db
      .insert(securityEvents)
      .values({
        id: sql.placeholder('id'),
        userId: sql.placeholder('userId'),
        type: sql.placeholder('type'),
        clientAddress: sql.placeholder('clientAddress'),
        adminKeyId: sql.placeholder('adminKeyId'),
        createdAtMs: sql.placeholder('createdAtMs'),
      })
      .prepare(),
    newestOfUser: db
      .select({
        id: securityEvents.id,
        type: securityEvents.type,
        clientAddress: securityEvents.clientAddress,
        adminKeyId: securityEvents.adminKeyId,
        createdAtMs: securityEvents.createdAtMs,
      })
      .from(securityEvents)
      .where(eq(securityEvents.userId, sql.placeholder('userId')))
      .orderBy(desc(securityEvents.createdAtMs), desc(sql`rowid`))
      .limit(sql.placeholder('limit'))
      .prepare(),
  };
}

export class SqliteEventRepository implements EventRepository {
  private prepared: ReturnType<typeof prepare> | undefined;

  constructor(private readonly db: Db) {}

  private get q() {
    this.prepared ??= prepare(this.db);
    return this.prepared;
  }

  async insert(event: NewSecurityEvent): Promise<void> {
    this.q.insert.run(event);
  }

  async listNewestOfUser(query: { userId: string; limit: number }): Promise<SecurityEventRow[]> {
    return this.q.newestOfUser.all({ userId: query.userId, limit: query.limit });
  }

  async anonymiseOfUser(userId: string): Promise<void> {
    this.db
      .update(securityEvents)
      .set({ userId: null, clientAddress: null })
      .where(eq(securityEvents.userId, userId))
      .run();
  }
}
