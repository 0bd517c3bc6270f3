import type Database from 'better-sqlite3';

/**
 * Raised at start when the database holds accounts that share an identifier, which the
 * identifiers table cannot take: an operator has to decide which account keeps it.
 */
export class IdentifierCollisionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentifierCollisionError';
  }
}

interface Collision {
  identifier: string;
  accounts: string;
}

const tableExists = (sqlite: Database.Database, name: string) =>
  sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

/**
 * Before the migration that creates the identifiers table: refuses, naming the accounts,
 * when one identifier is the username or email of two accounts (possible before usernames
 * and emails were one namespace), so the migration never half-applies or picks an owner.
 */
export function assertNoIdentifierCollisions(sqlite: Database.Database): void {
  if (!tableExists(sqlite, 'users') || tableExists(sqlite, 'identifiers')) return;
  const collisions = sqlite
    .prepare(
      `WITH claims AS (
         SELECT lower(username) AS identifier, id, username FROM users
         UNION SELECT lower(email), id, username FROM users
       )
       SELECT identifier, group_concat(username || ' (id ' || id || ')', ', ') AS accounts
       FROM claims GROUP BY identifier HAVING count(DISTINCT id) > 1 ORDER BY identifier`,
    )
    .all() as Collision[];
  if (collisions.length === 0) return;
  const named = collisions.map((c) => `"${c.identifier}" names ${c.accounts}`).join('; ');
  throw new IdentifierCollisionError(
    `database refused: usernames and emails must each name one account (docs/contract.md § Accounts), but ${named}; change the username or email of all but one of each before starting`,
  );
}
