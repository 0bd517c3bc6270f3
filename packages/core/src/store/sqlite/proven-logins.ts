import { and, eq, gt, lte, sql } from 'drizzle-orm';
import type { ProvenLoginRepository } from '../repositories/proven-logins.js';
import type { Db } from './open.js';
import { knownLoginAddresses } from './schema/index.js';

function prepare(db: Db) {
  return {
    knownAddress: db
      .select({ lastLoginAtMs: knownLoginAddresses.lastLoginAtMs })
      .from(knownLoginAddresses)
      .where(
        and(
          eq(knownLoginAddresses.userId, sql.placeholder('userId')),
          eq(knownLoginAddresses.address, sql.placeholder('address')),
          gt(knownLoginAddresses.lastLoginAtMs, sql.placeholder('sinceMs')),
        ),
      )
      .prepare(),
    remember: db
      .insert(knownLoginAddresses)
      .values({
        userId: sql.placeholder('userId'),
        address: sql.placeholder('address'),
        lastLoginAtMs: sql.placeholder('nowMs'),
      })
      .onConflictDoUpdate({
        target: [knownLoginAddresses.userId, knownLoginAddresses.address],
        set: { lastLoginAtMs: sql`excluded.last_login_at_ms` },
      })
      .prepare(),
    forgetOlderThan: db
      .delete(knownLoginAddresses)
      .where(
        and(
          eq(knownLoginAddresses.userId, sql.placeholder('userId')),
          lte(knownLoginAddresses.lastLoginAtMs, sql.placeholder('sinceMs')),
        ),
      )
      .prepare(),
  };
}

export class SqliteProvenLoginRepository implements ProvenLoginRepository {
  private prepared: ReturnType<typeof prepare> | undefined;

  constructor(private readonly db: Db) {}

  private get q() {
    this.prepared ??= prepare(this.db);
    return this.prepared;
  }

  async isKnownAddress(query: { userId: string; address: string; sinceMs: number }): Promise<boolean> {
    return this.q.knownAddress.get(query) !== undefined;
  }

  async remember(login: { userId: string; address: string; nowMs: number }): Promise<void> {
    this.q.remember.run(login);
  }

  async forgetOlderThan(query: { userId: string; sinceMs: number }): Promise<void> {
    this.q.forgetOlderThan.run(query);
  }
}
