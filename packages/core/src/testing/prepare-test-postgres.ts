import pg from 'pg';
import { dropSchemas, TEST_DATABASE_URL } from './test-store.js';

const STALE_AFTER_SECONDS = 60 * 60;

/**
 * Before a PostgreSQL test project (vitest globalSetup): the server must answer (the suite
 * fails, never skips), and schemas that crashed runs left behind (older than an hour) are dropped.
 */
export async function prepareTestPostgres(): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_DATABASE_URL} (set TWOFOLD_TEST_DATABASE_URL): ${String(error)}`,
    );
  }
  let names: string[];
  try {
    const { rows } = await client.query<{ name: string }>(
      "SELECT nspname AS name FROM pg_namespace WHERE nspname ~ '^t_[0-9]+_[0-9a-f]+$'",
    );
    names = rows.map((row) => row.name);
  } finally {
    await client.end();
  }
  const cutoff = Math.floor(Date.now() / 1000) - STALE_AFTER_SECONDS;
  await dropSchemas(names.filter((name) => Number(name.split('_')[1]) < cutoff));
}
