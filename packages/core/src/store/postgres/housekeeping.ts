import { inArray, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { purgeTargets } from '../purge-targets.js';
import type { HousekeepingRepository, PurgeKind } from '../repositories/housekeeping.js';
import type { PgDb } from './db.js';
import * as schema from './schema/index.js';

const TARGETS = purgeTargets<PgTable>(schema);

export class PostgresHousekeepingRepository implements HousekeepingRepository {
  constructor(private readonly db: PgDb) {}

  async deleteBatch(kind: PurgeKind, cutoff: number, limit: number): Promise<number> {
    const { table, endedBy } = TARGETS[kind];
    // ctid: the row's physical address, which every table has, whatever its primary key.
    const batch = this.db.select({ ctid: sql`ctid` }).from(table).where(endedBy(cutoff)).limit(limit);
    const rows = await this.db
      .delete(table)
      .where(inArray(sql`ctid`, batch))
      .returning({ one: sql<number>`1` });
    return rows.length;
  }
}
