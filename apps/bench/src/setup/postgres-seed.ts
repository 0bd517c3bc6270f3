import type { Core, PostgresStore, Store, Tx } from '@twofold/core';
import { type SeedMfaUser, seedMfaUsers } from '@twofold/core/testing';
import { quoteIdentifier as quote } from './postgres-schema.js';

/**
 * The bench's fast way to seed many users on PostgreSQL. `seedMfaUsers` writes three rows
 * per user, one INSERT each: over a socket that is ~1.6 ms a user (over a minute for 40 000).
 * Here it runs against a transaction that only records the rows it is given, so the rows,
 * the ids and the sealed TOTP secrets are exactly what it would have written; they then go
 * in as multi-row INSERTs, parents first.
 */

export type Row = Readonly<Record<string, unknown>>;

/** Where multi-row INSERTs go: a pool whose connections see the schema (a store, or the peer's). */
export type SchemaPool = Pick<PostgresStore, 'pool' | 'schemaName'>;

/** The repositories `seedMfaUsers` writes through, and the table each writes to. */
const CAPTURED = [
  { repository: 'users', table: 'users' },
  { repository: 'identifiers', table: 'identifiers' },
  { repository: 'totpCredentials', table: 'mfa_credentials' },
  { repository: 'provenLogins', table: 'known_login_addresses' },
] as const;
type CapturedRepository = (typeof CAPTURED)[number]['repository'];

/** Rows per INSERT: the widest row (Twofold's users, 9 columns) stays far below PostgreSQL's 65 535 parameters. */
const INSERT_BATCH_ROWS = 2_000;

function capturingTx(rows: Record<CapturedRepository, Row[]>): Tx {
  const repositories: Record<CapturedRepository, Record<string, (arg: never) => Promise<void>>> = {
    users: {
      insert: async (user: Parameters<Tx['users']['insert']>[0]) => void rows.users.push(user),
    },
    identifiers: {
      claim: async (claims: Parameters<Tx['identifiers']['claim']>[0]) =>
        void rows.identifiers.push(...claims.map((claim) => ({ ...claim }))),
    },
    totpCredentials: {
      insert: async (credential: Parameters<Tx['totpCredentials']['insert']>[0]) =>
        void rows.totpCredentials.push({ ...credential }),
    },
    provenLogins: {
      remember: async ({ userId, address, nowMs }: Parameters<Tx['provenLogins']['remember']>[0]) =>
        void rows.provenLogins.push({ userId, address, lastLoginAtMs: nowMs }),
    },
  };
  // Any other call means seedMfaUsers changed: fail loudly rather than drop rows.
  const strict = <T extends object>(target: T, what: string): T =>
    new Proxy(target, {
      get(object, name) {
        if (typeof name !== 'string' || name in object) return Reflect.get(object, name);
        throw new Error(
          `bench bulk seed: seedMfaUsers used ${what}.${String(name)}, which it does not capture`,
        );
      },
    });
  const tx = Object.fromEntries(
    Object.entries(repositories).map(([name, methods]) => [name, strict(methods, `tx.${name}`)]),
  );
  return strict(tx, 'tx') as unknown as Tx;
}

const snakeCase = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The rows (all with the first row's keys) as multi-row INSERTs; `column` names a key's column. */
export async function insertRows(
  store: SchemaPool,
  table: string,
  rows: readonly Row[],
  column: (key: string) => string = snakeCase,
): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const keys = Object.keys(first);
  const columns = keys.map((key) => quote(column(key))).join(', ');
  for (let start = 0; start < rows.length; start += INSERT_BATCH_ROWS) {
    const batch = rows.slice(start, start + INSERT_BATCH_ROWS);
    const values: unknown[] = [];
    const tuples = batch.map((row) => {
      const placeholders = keys.map((key) => {
        values.push(row[key]);
        return `$${values.length}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    await store.pool.query(
      `INSERT INTO ${quote(store.schemaName)}.${quote(table)} (${columns}) VALUES ${tuples.join(', ')}`,
      values,
    );
  }
}

export function isPostgresStore(store: Store): store is PostgresStore {
  return store.dialect === 'postgres' && 'pool' in store;
}

/** Every table of the store's schema, quoted and comma-separated (for ANALYZE). */
export async function tablesOf(store: SchemaPool): Promise<string> {
  const result = await store.pool.query<{ name: string }>(
    'SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 ORDER BY tablename',
    [store.schemaName],
  );
  return result.rows.map((row) => `${quote(store.schemaName)}.${quote(row.name)}`).join(', ');
}

/** What `seedMfaUsers(core, seeds)` writes, in a few dozen statements. */
export async function seedPostgresUsersInBulk(
  core: Core,
  store: PostgresStore,
  seeds: readonly SeedMfaUser[],
): Promise<void> {
  const rows: Record<CapturedRepository, Row[]> = {
    users: [],
    identifiers: [],
    totpCredentials: [],
    provenLogins: [],
  };
  const tx = capturingTx(rows);
  const recording: Core = {
    ...core,
    store: { ...core.store, transaction: <T>(fn: (t: Tx) => Promise<T>): Promise<T> => fn(tx) },
  };
  await seedMfaUsers(recording, seeds);
  for (const { repository, table } of CAPTURED) await insertRows(store, table, rows[repository]);
}
