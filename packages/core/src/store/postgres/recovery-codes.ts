import { and, eq, isNull } from 'drizzle-orm';
import type {
  NewRecoveryCode,
  RecoveryCodeRepository,
  StoredRecoveryCode,
} from '../repositories/recovery-codes.js';
import type { PgDb } from './db.js';
import { recoveryCodes } from './schema/index.js';

export class PostgresRecoveryCodeRepository implements RecoveryCodeRepository {
  constructor(private readonly db: PgDb) {}

  async findUnusedOfUser(userId: string): Promise<StoredRecoveryCode[]> {
    return this.db
      .select({ id: recoveryCodes.id, codeHash: recoveryCodes.codeHash })
      .from(recoveryCodes)
      .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAtMs)));
  }

  async insertMany(codes: readonly NewRecoveryCode[]): Promise<void> {
    if (codes.length === 0) return;
    await this.db.insert(recoveryCodes).values(codes.map((code) => ({ ...code, usedAtMs: null })));
  }

  // The guard is on the UPDATE itself: of parallel uses of one code only one marks it used.
  async consume(query: { id: string; nowMs: number }): Promise<boolean> {
    const rows = await this.db
      .update(recoveryCodes)
      .set({ usedAtMs: query.nowMs })
      .where(and(eq(recoveryCodes.id, query.id), isNull(recoveryCodes.usedAtMs)))
      .returning({ id: recoveryCodes.id });
    return rows.length === 1;
  }

  async deleteOfUser(userId: string): Promise<void> {
    await this.db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  }
}
