import { and, eq, isNull, sql } from 'drizzle-orm';
import type {
  NewRecoveryCode,
  RecoveryCodeRepository,
  StoredRecoveryCode,
} from '../repositories/recovery-codes.js';
import type { Db } from './open.js';
import { recoveryCodes } from './schema/index.js';

function prepare(db: Db) {
  return {
    unusedOfUser: db
      .select({ id: recoveryCodes.id, codeHash: recoveryCodes.codeHash })
      .from(recoveryCodes)
      .where(and(eq(recoveryCodes.userId, sql.placeholder('userId')), isNull(recoveryCodes.usedAtMs)))
      .prepare(),
    consume: db
      .update(recoveryCodes)
      .set({ usedAtMs: sql`${sql.placeholder('nowMs')}` })
      .where(and(eq(recoveryCodes.id, sql.placeholder('id')), isNull(recoveryCodes.usedAtMs)))
      .prepare(),
  };
}

export class SqliteRecoveryCodeRepository implements RecoveryCodeRepository {
  private prepared: ReturnType<typeof prepare> | undefined;

  constructor(private readonly db: Db) {}

  private get q() {
    this.prepared ??= prepare(this.db);
    return this.prepared;
  }

  async findUnusedOfUser(userId: string): Promise<StoredRecoveryCode[]> {
    return this.q.unusedOfUser.all({ userId });
  }

  async insertMany(codes: readonly NewRecoveryCode[]): Promise<void> {
    if (codes.length === 0) return;
    this.db
      .insert(recoveryCodes)
      .values(codes.map((code) => ({ ...code, usedAtMs: null })))
      .run();
  }

  async consume(query: { id: string; nowMs: number }): Promise<boolean> {
    return this.q.consume.run(query).changes === 1;
  }

  async deleteOfUser(userId: string): Promise<void> {
    this.db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
  }
}
