import pg from 'pg';
import { TEST_DATABASE_URL } from './src/testing/test-store.js';

const STALE_AFTER_SECONDS = 60 * 60;

/**
 * Before the PostgreSQL project: the server must answer (the suite fails, never skips), and
 * schemas that crashed runs left behind (older than an hour) are dropped.
 */
export default async function setup(): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_DATABASE_URL} (set TWOFOLD_TEST_DATABASE_URL): ${String(error)}`,
    );
  }
  try {
    const { rows } = await client.query<{ name: string }>(
      "SELECT nspname AS name FROM pg_namespace WHERE nspname ~ '^t_[0-9]+_[0-9a-f]+$'",
    );
    const cutoff = Math.floor(Date.now() / 1000) - STALE_AFTER_SECONDS;
    for (const { name } of rows) {
      if (Number(name.split('_')[1]) < cutoff) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    }
  } finally {
    await client.end();
  }
}
