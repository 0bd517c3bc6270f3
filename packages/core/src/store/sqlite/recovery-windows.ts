import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { OpenRecoveryWindow, RecoveryWindowRepository } from '../repositories/recovery-windows.js';
import type { Db } from './open.js';
import { recoveryCodes, recoveryWindows } from './schema/index.js';

/** Reads the `userId` and `nowMs` placeholders. */
const isOpen = () =>
  and(
    eq(recoveryWindows.userId, sql.placeholder('userId')),
    isNull(recoveryWindows.usedAtMs),
    gt(recoveryWindows.expiresAtMs, sql.placeholder('nowMs')),
  );

function prepare(db: Db) {
  return {
    open: db
      .select({ recoveryCodeId: recoveryWindows.recoveryCodeId, codeHash: recoveryCodes.codeHash })
      .from(recoveryWindows)
      .innerJoin(recoveryCodes, eq(recoveryCodes.id, recoveryWindows.recoveryCodeId))
      .where(isOpen())
      .prepare(),
    use: db
      .update(recoveryWindows)
      .set({ usedAtMs: sql`${sql.placeholder('nowMs')}` })
      .where(isOpen())
      .prepare(),
    useOpenedBy: db
      .update(recoveryWindows)
      .set({ usedAtMs: sql`${sql.placeholder('nowMs')}` })
      .where(and(isOpen(), eq(recoveryWindows.recoveryCodeId, sql.placeholder('recoveryCodeId'))))
      .prepare(),
  };
}

export class SqliteRecoveryWindowRepository implements RecoveryWindowRepository {
  private prepared: ReturnType<typeof prepare> | undefined;

  constructor(private readonly db: Db) {}

  private get q() {
    this.prepared ??= prepare(this.db);
    return this.prepared;
  }

  async findOpen(query: { userId: string; nowMs: number }): Promise<OpenRecoveryWindow | undefined> {
    return this.q.open.get(query);
  }

  async open(window: { userId: string; recoveryCodeId: string; expiresAtMs: number }): Promise<void> {
    const { recoveryCodeId, expiresAtMs } = window;
    this.db
      .insert(recoveryWindows)
      .values({ ...window, usedAtMs: null })
      .onConflictDoUpdate({
        target: recoveryWindows.userId,
        set: { recoveryCodeId, expiresAtMs, usedAtMs: null },
      })
      .run();
  }

  async use(query: { userId: string; nowMs: number; recoveryCodeId?: string }): Promise<boolean> {
    const { userId, nowMs, recoveryCodeId } = query;
    const result =
      recoveryCodeId === undefined
        ? this.q.use.run({ userId, nowMs })
        : this.q.useOpenedBy.run({ userId, nowMs, recoveryCodeId });
    return result.changes === 1;
  }

  async deleteOfUser(userId: string): Promise<void> {
    this.db.delete(recoveryWindows).where(eq(recoveryWindows.userId, userId)).run();
  }
}
