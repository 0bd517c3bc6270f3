import { asc } from 'drizzle-orm';
import type { SigningKeyRepository, SigningKeyRow } from '../repositories/signing-keys.js';
import type { PgDb } from './db.js';
import { signingKeys } from './schema/index.js';

export class PostgresSigningKeyRepository implements SigningKeyRepository {
  constructor(private readonly db: PgDb) {}

  async findAll(): Promise<SigningKeyRow[]> {
    return this.db.select().from(signingKeys).orderBy(asc(signingKeys.createdAtMs));
  }

  async insert(row: SigningKeyRow): Promise<void> {
    await this.db.insert(signingKeys).values(row);
  }
}
