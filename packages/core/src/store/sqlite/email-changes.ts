import { and, eq, gt, isNull } from 'drizzle-orm';
import type { EmailChangeRepository, EmailChangeRow } from '../repositories/email-changes.js';
import type { Db } from './open.js';
import { emailChanges } from './schema/index.js';

const isLive = (nowMs: number) =>
  and(isNull(emailChanges.undoneAtMs), gt(emailChanges.undoExpiresAtMs, nowMs));

export class SqliteEmailChangeRepository implements EmailChangeRepository {
  constructor(private readonly db: Db) {}

  async insert(change: Omit<EmailChangeRow, 'undoneAtMs'>): Promise<void> {
    this.db.insert(emailChanges).values(change).run();
  }

  async findByUndoTokenHash(undoTokenHash: string): Promise<EmailChangeRow | undefined> {
    return this.db.select().from(emailChanges).where(eq(emailChanges.undoTokenHash, undoTokenHash)).get();
  }

  async undoAllOfUser(query: { userId: string; id: string; nowMs: number }): Promise<boolean> {
    const undone = this.db
      .update(emailChanges)
      .set({ undoneAtMs: query.nowMs })
      .where(and(eq(emailChanges.userId, query.userId), isLive(query.nowMs)))
      .returning({ id: emailChanges.id })
      .all();
    return undone.some((row) => row.id === query.id);
  }
}
