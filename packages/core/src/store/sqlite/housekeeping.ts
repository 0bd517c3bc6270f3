import { inArray, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { purgeTargets } from '../purge-targets.js';
import type { HousekeepingRepository, PurgeKind } from '../repositories/housekeeping.js';
import type { Db } from './open.js';
import * as schema from './schema/index.js';

const TARGETS = purgeTargets<SQLiteTable>(schema);

export class SqliteHousekeepingRepository implements HousekeepingRepository {
  constructor(private readonly db: Db) {}

  async deleteBatch(kind: PurgeKind, cutoff: number, limit: number): Promise<number> {
    const { table, endedBy } = TARGETS[kind];
    // rowid: every one of these tables has one, whatever its primary key.
    const batch = this.db.select({ rowid: sql`rowid` }).from(table).where(endedBy(cutoff)).limit(limit);
    return this.db.delete(table).where(inArray(sql`rowid`, batch)).run().changes;
  }
}
