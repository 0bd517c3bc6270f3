import { eq, ne, sql } from 'drizzle-orm';
import type { OperatorSettingRepository, OperatorSettingRow } from '../repositories/operator-settings.js';
import type { Db } from './open.js';
import { operatorSettings } from './schema/index.js';

export class SqliteOperatorSettingRepository implements OperatorSettingRepository {
  constructor(private readonly db: Db) {}

  async find(name: string): Promise<OperatorSettingRow | undefined> {
    return this.db.select().from(operatorSettings).where(eq(operatorSettings.name, name)).get();
  }

  async recordValue(row: OperatorSettingRow): Promise<OperatorSettingRow> {
    this.db
      .insert(operatorSettings)
      .values(row)
      .onConflictDoUpdate({
        target: operatorSettings.name,
        set: { value: sql`excluded.value`, sinceMs: sql`excluded.since_ms` },
        setWhere: ne(operatorSettings.value, sql`excluded.value`),
      })
      .run();
    const stored = await this.find(row.name);
    if (!stored) throw new Error(`operator setting ${row.name} vanished`);
    return stored;
  }

  async remove(name: string): Promise<void> {
    this.db.delete(operatorSettings).where(eq(operatorSettings.name, name)).run();
  }
}
