import { and, eq, inArray } from 'drizzle-orm';
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

  async findHolder(
    identifier: string,
  ): Promise<{ userId: string; kind: IdentifierClaim['kind'] } | undefined> {
    const [row] = await this.db
      .select({ userId: identifiers.userId, kind: identifiers.kind })
      .from(identifiers)
      .where(eq(identifiers.identifier, identifier));
    return row;
  }

  async holdAsPrevious(query: { identifier: string; userId: string; expiresAtMs: number }): Promise<boolean> {
    const rows = await this.db
      .update(identifiers)
      .set({ kind: 'previous_email', expiresAtMs: query.expiresAtMs })
      .where(
        and(
          eq(identifiers.identifier, query.identifier),
          eq(identifiers.userId, query.userId),
          eq(identifiers.kind, 'email'),
        ),
      )
      .returning({ identifier: identifiers.identifier });
    return rows.length === 1;
  }

  async restoreHeld(query: { identifier: string; userId: string }): Promise<boolean> {
    const rows = await this.db
      .update(identifiers)
      .set({ kind: 'email', expiresAtMs: null })
      .where(
        and(
          eq(identifiers.identifier, query.identifier),
          eq(identifiers.userId, query.userId),
          eq(identifiers.kind, 'previous_email'),
        ),
      )
      .returning({ identifier: identifiers.identifier });
    return rows.length === 1;
  }

  async releaseEmail(query: { identifier: string; userId: string }): Promise<void> {
    await this.db
      .delete(identifiers)
      .where(
        and(
          eq(identifiers.identifier, query.identifier),
          eq(identifiers.userId, query.userId),
          eq(identifiers.kind, 'email'),
        ),
      );
  }
}
