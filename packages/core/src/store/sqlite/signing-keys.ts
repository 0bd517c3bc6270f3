import { asc } from 'drizzle-orm';
import type { SigningKeyRepository, SigningKeyRow } from '../repositories/signing-keys.js';
import type { Db } from './open.js';
import { signingKeys } from './schema/index.js';

export class SqliteSigningKeyRepository implements SigningKeyRepository {
  constructor(private readonly db: Db) {}

  async findAll(): Promise<SigningKeyRow[]> {
    return this.db.select().from(signingKeys).orderBy(asc(signingKeys.createdAtMs)).all();
  }

  async insert(row: SigningKeyRow): Promise<void> {
    this.db.insert(signingKeys).values(row).run();
  }
}
