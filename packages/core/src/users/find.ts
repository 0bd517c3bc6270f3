import { eq, getTableColumns, sql } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { preparedPerDb } from '../db/prepared.js';
import { identifiers, users } from '../db/schema/index.js';
import type { Tx } from '../db/transaction.js';

export type User = typeof users.$inferSelect;

const queries = preparedPerDb((db) => ({
  byId: db
    .select()
    .from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .prepare(),
  // Through the namespace table: one identifier names at most one account (docs/contract.md § Accounts).
  byIdentifier: db
    .select(getTableColumns(users))
    .from(identifiers)
    .innerJoin(users, eq(users.id, identifiers.userId))
    .where(eq(identifiers.identifier, sql.placeholder('identifier')))
    .prepare(),
}));

/** Inside a transaction, pass the core's `Db`: the query runs on its connection, in the transaction. */
export function findUserById(db: Db, id: string): User | undefined {
  return queries(db).byId.get({ id });
}

/** `identifier` is a username or an email, already lowercased by its schema. */
export function findUserByIdentifier(db: Db | Tx, identifier: string): User | undefined {
  return queries(db).byIdentifier.get({ identifier });
}
