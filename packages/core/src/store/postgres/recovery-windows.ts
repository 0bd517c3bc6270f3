import { and, eq, gt, isNull } from 'drizzle-orm';
import type { OpenRecoveryWindow, RecoveryWindowRepository } from '../repositories/recovery-windows.js';
import type { PgDb } from './db.js';
import { recoveryCodes, recoveryWindows } from './schema/index.js';

const isOpen = (query: { userId: string; nowMs: number }) =>
  and(
    eq(recoveryWindows.userId, query.userId),
    isNull(recoveryWindows.usedAtMs),
    gt(recoveryWindows.expiresAtMs, query.nowMs),
  );

export class PostgresRecoveryWindowRepository implements RecoveryWindowRepository {
  constructor(private readonly db: PgDb) {}

  async findOpen(query: { userId: string; nowMs: number }): Promise<OpenRecoveryWindow | undefined> {
    const [row] = await this.db
      .select({ recoveryCodeId: recoveryWindows.recoveryCodeId, codeHash: recoveryCodes.codeHash })
      .from(recoveryWindows)
      .innerJoin(recoveryCodes, eq(recoveryCodes.id, recoveryWindows.recoveryCodeId))
      .where(isOpen(query));
    return row;
  }

  async open(window: { userId: string; recoveryCodeId: string; expiresAtMs: number }): Promise<void> {
    const { recoveryCodeId, expiresAtMs } = window;
    await this.db
      .insert(recoveryWindows)
      .values({ ...window, usedAtMs: null })
      .onConflictDoUpdate({
        target: recoveryWindows.userId,
        set: { recoveryCodeId, expiresAtMs, usedAtMs: null },
      });
  }

  // The guard is on the UPDATE itself: of parallel uses of one window only one closes it.
  async use(query: { userId: string; nowMs: number; recoveryCodeId?: string }): Promise<boolean> {
    const { userId, nowMs, recoveryCodeId } = query;
    const rows = await this.db
      .update(recoveryWindows)
      .set({ usedAtMs: nowMs })
      .where(
        recoveryCodeId === undefined
          ? isOpen({ userId, nowMs })
          : and(isOpen({ userId, nowMs }), eq(recoveryWindows.recoveryCodeId, recoveryCodeId)),
      )
      .returning({ userId: recoveryWindows.userId });
    return rows.length === 1;
  }

  async deleteOfUser(userId: string): Promise<void> {
    await this.db.delete(recoveryWindows).where(eq(recoveryWindows.userId, userId));
  }
}
