import { and, desc, eq, getTableColumns, gt, lte, ne, sql } from 'drizzle-orm';
import type { SessionRepository, SessionRow } from '../repositories/sessions.js';
import type { Db } from './open.js';
import { sessions, users } from './schema/index.js';

function prepare(db: Db) {
  return {
    insert: db
      .insert(sessions)
      .values({
        id: sql.placeholder('id'),
        userId: sql.placeholder('userId'),
        method: sql.placeholder('method'),
        createdAtMs: sql.placeholder('createdAtMs'),
        lastSeenAtMs: sql.placeholder('lastSeenAtMs'),
        expiresAtMs: sql.placeholder('expiresAtMs'),
        userAgent: sql.placeholder('userAgent'),
        clientAddress: sql.placeholder('clientAddress'),
      })
      .prepare(),
    withUser: db
      .select({ session: getTableColumns(sessions), user: getTableColumns(users) })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.id, sql.placeholder('id')))
      .prepare(),
    touch: db
      .update(sessions)
      .set({ lastSeenAtMs: sql`${sql.placeholder('nowMs')}` })
      .where(
        and(
          eq(sessions.id, sql.placeholder('id')),
          lte(sessions.lastSeenAtMs, sql.placeholder('seenBeforeMs')),
        ),
      )
      .returning({ id: sessions.id })
      .prepare(),
  };
}

export class SqliteSessionRepository implements SessionRepository {
  private prepared: ReturnType<typeof prepare> | undefined;

  constructor(private readonly db: Db) {}

  private get q() {
    this.prepared ??= prepare(this.db);
    return this.prepared;
  }

  async insert(session: SessionRow): Promise<void> {
    this.q.insert.run({ ...session });
  }

  async findWithUser(id: string) {
    return this.q.withUser.get({ id });
  }

  async listLiveOfUser(query: { userId: string; nowMs: number }): Promise<SessionRow[]> {
    return this.db
      .select()
      .from(sessions)
      .where(and(eq(sessions.userId, query.userId), gt(sessions.expiresAtMs, query.nowMs)))
      .orderBy(desc(sessions.createdAtMs), desc(sessions.id))
      .all();
  }

  async touch(query: { id: string; nowMs: number; seenBeforeMs: number }): Promise<boolean> {
    return this.q.touch.get(query) !== undefined;
  }

  async rotate(query: { id: string; newId: string }): Promise<boolean> {
    const row = this.db
      .update(sessions)
      .set({ id: query.newId })
      .where(eq(sessions.id, query.id))
      .returning({ id: sessions.id })
      .get();
    return row !== undefined;
  }

  async end(query: { id: string; userId: string }): Promise<boolean> {
    const row = this.db
      .delete(sessions)
      .where(and(eq(sessions.id, query.id), eq(sessions.userId, query.userId)))
      .returning({ id: sessions.id })
      .get();
    return row !== undefined;
  }

  async endAllOfUser(query: { userId: string; exceptId?: string | undefined }): Promise<number> {
    const mine = eq(sessions.userId, query.userId);
    const where = query.exceptId === undefined ? mine : and(mine, ne(sessions.id, query.exceptId));
    return this.db.delete(sessions).where(where).returning({ id: sessions.id }).all().length;
  }
}
