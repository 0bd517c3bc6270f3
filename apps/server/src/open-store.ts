import { join } from 'node:path';
import {
  migrateDatabase,
  migratePostgres,
  openPostgresStore,
  openSqliteStore,
  type Store,
} from '@twofold/core';
import { ConfigError, type EnvConfig } from './config.js';

export const DATABASE_FILE = 'twofold.sqlite';

/**
 * The store the configuration names, migrated: PostgreSQL with DATABASE_URL (instances
 * starting at once migrate one after the other, under an advisory lock), else the SQLite
 * file in DATA_DIR. Refuses, with a line naming the variable, a server it cannot reach.
 */
export async function openConfiguredStore(config: EnvConfig): Promise<Store> {
  if (config.DATABASE_URL === undefined) {
    const store = openSqliteStore(join(config.DATA_DIR, DATABASE_FILE));
    try {
      // Refuses (IdentifierCollisionError, nothing applied) a database the schema cannot take.
      migrateDatabase(store.db);
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }
  const store = openPostgresStore(config.DATABASE_URL, {
    schemaName: config.DATABASE_SCHEMA,
    maxConnections: config.DATABASE_POOL_SIZE,
    connectionTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
  });
  try {
    await store.ping();
  } catch (error) {
    await store.close();
    throw new ConfigError(
      `DATABASE_URL: cannot reach PostgreSQL at ${describeServer(config.DATABASE_URL)}: ${reasonOf(error)}`,
    );
  }
  try {
    await migratePostgres(store.pool, store.schemaName);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** Host, port and database, never the user or password the URL may carry. */
function describeServer(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
}
