import { inArray } from 'drizzle-orm';
import type { IdentifierClaim, IdentifierRepository } from '../repositories/identifiers.js';
import type { PgDb } from './db.js';
import { identifiers } from './schema/index.js';

export class PostgresIdentifierRepository implements IdentifierRepository {
  constructor(private readonly db: PgDb) {}

  async findTaken(values: readonly string[]): Promise<string[]> {
    if (values.length === 0) return [];
    const rows = await this.db
      .select({ identifier: identifiers.identifier })
      .from(identifiers)
      .where(inArray(identifiers.identifier, [...values]));
    return rows.map((row) => row.identifier);
  }

  async claim(claims: readonly IdentifierClaim[]): Promise<void> {
    if (claims.length === 0) return;
    await this.db.insert(identifiers).values([...claims]);
  }
}
