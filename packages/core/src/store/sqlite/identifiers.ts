import { and, eq, inArray } from 'drizzle-orm';
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

  async findHolder(
    identifier: string,
  ): Promise<{ userId: string; kind: IdentifierClaim['kind'] } | undefined> {
    return this.db
      .select({ userId: identifiers.userId, kind: identifiers.kind })
      .from(identifiers)
      .where(eq(identifiers.identifier, identifier))
      .get();
  }

  async holdAsPrevious(query: { identifier: string; userId: string; expiresAtMs: number }): Promise<boolean> {
    return (
      this.db
        .update(identifiers)
        .set({ kind: 'previous_email', expiresAtMs: query.expiresAtMs })
        .where(
          and(
            eq(identifiers.identifier, query.identifier),
            eq(identifiers.userId, query.userId),
            eq(identifiers.kind, 'email'),
          ),
        )
        .run().changes === 1
    );
  }

  async restoreHeld(query: { identifier: string; userId: string }): Promise<boolean> {
    return (
      this.db
        .update(identifiers)
        .set({ kind: 'email', expiresAtMs: null })
        .where(
          and(
            eq(identifiers.identifier, query.identifier),
            eq(identifiers.userId, query.userId),
            eq(identifiers.kind, 'previous_email'),
          ),
        )
        .run().changes === 1
    );
  }

  async releaseEmail(query: { identifier: string; userId: string }): Promise<void> {
    this.db
      .delete(identifiers)
      .where(
        and(
          eq(identifiers.identifier, query.identifier),
          eq(identifiers.userId, query.userId),
          eq(identifiers.kind, 'email'),
        ),
      )
      .run();
  }
}
