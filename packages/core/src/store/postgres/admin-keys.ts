import { asc, eq } from 'drizzle-orm';
import type { AdminKeyRepository, AdminKeyRow } from '../repositories/admin-keys.js';
import type { PgDb } from './db.js';
import { adminKeys } from './schema/index.js';

export class PostgresAdminKeyRepository implements AdminKeyRepository {
  constructor(private readonly db: PgDb) {}

  async insert(key: AdminKeyRow): Promise<void> {
    await this.db.insert(adminKeys).values(key);
  }

  async findById(id: string): Promise<AdminKeyRow | undefined> {
    const [row] = await this.db.select().from(adminKeys).where(eq(adminKeys.id, id));
    return row;
  }

  async list(): Promise<AdminKeyRow[]> {
    return this.db.select().from(adminKeys).orderBy(asc(adminKeys.createdAtMs));
  }

  async delete(id: string): Promise<boolean> {
    const deleted = await this.db
      .delete(adminKeys)
      .where(eq(adminKeys.id, id))
      .returning({ id: adminKeys.id });
    return deleted.length === 1;
  }
}
