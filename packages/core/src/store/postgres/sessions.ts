import { and, desc, eq, getTableColumns, gt, lte, ne } from 'drizzle-orm';
import type { SessionRepository, SessionRow } from '../repositories/sessions.js';
import type { PgDb } from './db.js';
import { sessions, users } from './schema/index.js';

export class PostgresSessionRepository implements SessionRepository {
  constructor(private readonly db: PgDb) {}

  async insert(session: SessionRow): Promise<void> {
    await this.db.insert(sessions).values(session);
  }

  async findWithUser(id: string) {
    const [row] = await this.db
      .select({ session: getTableColumns(sessions), user: getTableColumns(users) })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.id, id));
    return row;
  }

  async listLiveOfUser(query: { userId: string; nowMs: number }): Promise<SessionRow[]> {
    return this.db
      .select()
      .from(sessions)
      .where(and(eq(sessions.userId, query.userId), gt(sessions.expiresAtMs, query.nowMs)))
      .orderBy(desc(sessions.createdAtMs), desc(sessions.id));
  }

  // The guard is on the UPDATE itself: of parallel requests, one moves the time.
  async touch(query: { id: string; nowMs: number; seenBeforeMs: number }): Promise<boolean> {
    const rows = await this.db
      .update(sessions)
      .set({ lastSeenAtMs: query.nowMs })
      .where(and(eq(sessions.id, query.id), lte(sessions.lastSeenAtMs, query.seenBeforeMs)))
      .returning({ id: sessions.id });
    return rows.length === 1;
  }

  // Guarded by the old id on the UPDATE itself: a parallel end or rotation leaves nothing to move.
  async rotate(query: { id: string; newId: string }): Promise<boolean> {
    const rows = await this.db
      .update(sessions)
      .set({ id: query.newId })
      .where(eq(sessions.id, query.id))
      .returning({ id: sessions.id });
    return rows.length === 1;
  }

  async end(query: { id: string; userId: string }): Promise<boolean> {
    const rows = await this.db
      .delete(sessions)
      .where(and(eq(sessions.id, query.id), eq(sessions.userId, query.userId)))
      .returning({ id: sessions.id });
    return rows.length === 1;
  }

  async endAllOfUser(query: { userId: string; exceptId?: string | undefined }): Promise<number> {
    const mine = eq(sessions.userId, query.userId);
    const where = query.exceptId === undefined ? mine : and(mine, ne(sessions.id, query.exceptId));
    return (await this.db.delete(sessions).where(where).returning({ id: sessions.id })).length;
  }
}
