import { and, eq, gt, isNull } from 'drizzle-orm';
import type { EmailChangeRepository, EmailChangeRow } from '../repositories/email-changes.js';
import type { PgDb } from './db.js';
import { emailChanges } from './schema/index.js';

const isLive = (nowMs: number) =>
  and(isNull(emailChanges.undoneAtMs), gt(emailChanges.undoExpiresAtMs, nowMs));

export class PostgresEmailChangeRepository implements EmailChangeRepository {
  constructor(private readonly db: PgDb) {}

  async insert(change: Omit<EmailChangeRow, 'undoneAtMs'>): Promise<void> {
    await this.db.insert(emailChanges).values(change);
  }

  async findByUndoTokenHash(undoTokenHash: string): Promise<EmailChangeRow | undefined> {
    const [row] = await this.db
      .select()
      .from(emailChanges)
      .where(eq(emailChanges.undoTokenHash, undoTokenHash));
    return row;
  }

  // The liveness guard is on the UPDATE itself: of parallel undos, the one that changes the row wins.
  async undoAllOfUser(query: { userId: string; id: string; nowMs: number }): Promise<boolean> {
    const undone = await this.db
      .update(emailChanges)
      .set({ undoneAtMs: query.nowMs })
      .where(and(eq(emailChanges.userId, query.userId), isLive(query.nowMs)))
      .returning({ id: emailChanges.id });
    return undone.some((row) => row.id === query.id);
  }
}
