import { AsyncLocalStorage } from 'node:async_hooks';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Repositories, Store, Tx } from '../store.js';
import type { PgDb } from './db.js';
import { countPendingPostgresMigrations, quoteIdentifier } from './migrate.js';
import { createPostgresRepositories } from './repositories.js';
import * as schema from './schema/index.js';

/** The shared store: a node-postgres pool on one database, any number of instances. */
export interface PostgresStore extends Store {
  readonly dialect: 'postgres';
  readonly db: PgDb;
  readonly pool: pg.Pool;
  /** The schema the tables live in (`public` unless configured). */
  readonly schemaName: string;
}

export interface PostgresStoreOptions {
  /** Default `public`; tests give each database its own. */
  schemaName?: string;
  /** Connections in the pool. */
  maxConnections?: number;
  /** How long a request waits for a free connection before failing (ms). */
  connectionTimeoutMs?: number;
  /** As for SQLite: a store call made inside one of its transactions throws (tests). */
  detectMisuse?: boolean;
}

const INT8_OID = 20;
/** Far above any statement of ours (milliseconds); a query still waiting then has lost its server. */
const QUERY_TIMEOUT_MS = 15_000;

/**
 * Opens a pool (it connects on first use). Instants are int8 columns read as numbers: every
 * value we store is below 2^53.
 */
export function openPostgresStore(url: string, options: PostgresStoreOptions = {}): PostgresStore {
  const schemaName = options.schemaName ?? 'public';
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    // A connection the network silently dropped would hold a request forever: bound every
    // query, and let the kernel probe idle connections.
    query_timeout: QUERY_TIMEOUT_MS,
    keepAlive: true,
    options: `-c search_path=${quoteIdentifier(schemaName)}`,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server dropped must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  // Nor one dropped while checked out between two queries (a transaction's client): pg emits
  // that on the client, not the pool. The query in flight, or the next one, fails with it, and
  // the pool discards the client once released.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = drizzle({ client: pool, schema, casing: 'snake_case' });
  const insideTransaction = options.detectMisuse ? new AsyncLocalStorage<true>() : undefined;
  const root = guardedRoot(createPostgresRepositories(db), insideTransaction);

  async function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (insideTransaction?.getStore()) throw new Error('store.transaction called inside a transaction');
    return db.transaction(async (handle) => {
      const tx = createPostgresRepositories(handle) as Tx;
      return insideTransaction ? insideTransaction.run(true, () => fn(tx)) : fn(tx);
    });
  }

  return {
    ...root,
    dialect: 'postgres',
    db,
    pool,
    schemaName,
    transaction,
    // PostgreSQL answers COMMIT once the commit is durable (synchronous_commit on, its default).
    settle: async () => {},
    async ping() {
      await pool.query('SELECT 1');
    },
    countPendingMigrations: () => countPendingPostgresMigrations(pool, schemaName),
    async close() {
      await pool.end();
    },
  };
}

/** With `insideTransaction`, a call on the pool from inside a transaction throws: it would escape it. */
function guardedRoot(
  repositories: Repositories,
  insideTransaction: AsyncLocalStorage<true> | undefined,
): Repositories {
  if (!insideTransaction) return repositories;
  return Object.fromEntries(
    Object.entries(repositories).map(([name, repository]) => [
      name,
      new Proxy(repository as object, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if (insideTransaction.getStore()) {
              return Promise.reject(
                new Error(`store.${String(property)} called inside a transaction: use its tx`),
              );
            }
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      }),
    ]),
  ) as unknown as Repositories;
}
