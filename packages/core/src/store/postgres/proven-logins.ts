import { and, eq, gt, lte, sql } from 'drizzle-orm';
import type { ProvenLoginRepository } from '../repositories/proven-logins.js';
import type { PgDb } from './db.js';
import { knownLoginAddresses } from './schema/index.js';

export class PostgresProvenLoginRepository implements ProvenLoginRepository {
  constructor(private readonly db: PgDb) {}

  async isKnownAddress(query: { userId: string; address: string; sinceMs: number }): Promise<boolean> {
    const rows = await this.db
      .select({ lastLoginAtMs: knownLoginAddresses.lastLoginAtMs })
      .from(knownLoginAddresses)
      .where(
        and(
          eq(knownLoginAddresses.userId, query.userId),
          eq(knownLoginAddresses.address, query.address),
          gt(knownLoginAddresses.lastLoginAtMs, query.sinceMs),
        ),
      );
    return rows.length > 0;
  }

  async remember(login: { userId: string; address: string; nowMs: number }): Promise<void> {
    await this.db
      .insert(knownLoginAddresses)
      .values({ userId: login.userId, address: login.address, lastLoginAtMs: login.nowMs })
      .onConflictDoUpdate({
        target: [knownLoginAddresses.userId, knownLoginAddresses.address],
        set: { lastLoginAtMs: sql`excluded.last_login_at_ms` },
      });
  }

  async forgetOlderThan(query: { userId: string; sinceMs: number }): Promise<void> {
    await this.db
      .delete(knownLoginAddresses)
      .where(
        and(
          eq(knownLoginAddresses.userId, query.userId),
          lte(knownLoginAddresses.lastLoginAtMs, query.sinceMs),
        ),
      );
  }
}
