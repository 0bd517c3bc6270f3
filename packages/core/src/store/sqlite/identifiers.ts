import { inArray } from 'drizzle-orm';
import type { IdentifierClaim, IdentifierRepository } from '../repositories/identifiers.js';
import type { Db } from './open.js';
import { identifiers } from './schema/index.js';

export class SqliteIdentifierRepository implements IdentifierRepository {
  constructor(private readonly db: Db) {}

  async findTaken(values: readonly string[]): Promise<string[]> {
    if (values.length === 0) return [];
    return this.db
      .select({ identifier: identifiers.identifier })
      .from(identifiers)
      .where(inArray(identifiers.identifier, [...values]))
      .all()
      .map((row) => row.identifier);
  }

  async claim(claims: readonly IdentifierClaim[]): Promise<void> {
    if (claims.length === 0) return;
    this.db
      .insert(identifiers)
      .values([...claims])
      .run();
  }
}
