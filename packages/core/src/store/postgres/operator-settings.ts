import { eq, ne, sql } from 'drizzle-orm';
import type { OperatorSettingRepository, OperatorSettingRow } from '../repositories/operator-settings.js';
import type { PgDb } from './db.js';
import { operatorSettings } from './schema/index.js';

export class PostgresOperatorSettingRepository implements OperatorSettingRepository {
  constructor(private readonly db: PgDb) {}

  async find(name: string): Promise<OperatorSettingRow | undefined> {
    const [row] = await this.db.select().from(operatorSettings).where(eq(operatorSettings.name, name));
    return row;
  }

  async recordValue(row: OperatorSettingRow): Promise<OperatorSettingRow> {
    await this.db
      .insert(operatorSettings)
      .values(row)
      .onConflictDoUpdate({
        target: operatorSettings.name,
        set: { value: sql`excluded.value`, sinceMs: sql`excluded.since_ms` },
        setWhere: ne(operatorSettings.value, sql`excluded.value`),
      });
    const stored = await this.find(row.name);
    if (!stored) throw new Error(`operator setting ${row.name} vanished`);
    return stored;
  }

  async remove(name: string): Promise<void> {
    await this.db.delete(operatorSettings).where(eq(operatorSettings.name, name));
  }
}
