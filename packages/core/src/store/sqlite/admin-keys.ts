import { asc, eq } from 'drizzle-orm';
import type { AdminKeyRepository, AdminKeyRow } from '../repositories/admin-keys.js';
import type { Db } from './open.js';
import { adminKeys } from './schema/index.js';

export class SqliteAdminKeyRepository implements AdminKeyRepository {
  constructor(private readonly db: Db) {}

  async insert(key: AdminKeyRow): Promise<void> {
    this.db.insert(adminKeys).values(key).run();
  }

  async findById(id: string): Promise<AdminKeyRow | undefined> {
    return this.db.select().from(adminKeys).where(eq(adminKeys.id, id)).get();
  }

  async list(): Promise<AdminKeyRow[]> {
    return this.db.select().from(adminKeys).orderBy(asc(adminKeys.createdAtMs)).all();
  }

  async delete(id: string): Promise<boolean> {
    return this.db.delete(adminKeys).where(eq(adminKeys.id, id)).run().changes === 1;
  }
}
