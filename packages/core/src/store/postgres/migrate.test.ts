import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { dropSchemas, TEST_DATABASE_URL } from '../../testing/test-store.js';
import { migratePostgres } from './migrate.js';
import { openPostgresStore, type PostgresStore } from './store.js';

const MIGRATIONS = fileURLToPath(new URL('../../../drizzle/postgres', import.meta.url));

const opened: PostgresStore[] = [];
const schemas: string[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  await dropSchemas(schemas.splice(0));
});

function newSchema(): string {
  const name = `t_${Math.floor(Date.now() / 1000)}_${randomBytes(6).toString('hex')}`;
  schemas.push(name);
  return name;
}

function open(schemaName: string): PostgresStore {
  const store = openPostgresStore(TEST_DATABASE_URL, { schemaName });
  opened.push(store);
  return store;
}

describe('PostgreSQL migrations', () => {
  it('run once when three instances start at once on one empty schema', async () => {
    const schemaName = newSchema();
    const instances = [open(schemaName), open(schemaName), open(schemaName)] as const;
    await Promise.all(instances.map((store) => migratePostgres(store.pool, schemaName)));
    const [first, second] = instances;
    const applied = await first.pool.query(
      `SELECT count(*)::int AS n FROM "${schemaName}".__drizzle_migrations`,
    );
    const journal = JSON.parse(readFileSync(`${MIGRATIONS}/meta/_journal.json`, 'utf8')) as {
      entries: unknown[];
    };
    expect(applied.rows[0]).toEqual({ n: journal.entries.length });
    const tables = await first.pool.query(
      'SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1',
      [schemaName],
    );
    expect(tables.rows[0]?.n).toBeGreaterThanOrEqual(12);
    // A later start finds nothing to do.
    await migratePostgres(second.pool, schemaName);
  });

  it('keep to their schema: no migration names one (tests and installations pick it by search_path)', () => {
    for (const file of readdirSync(MIGRATIONS).filter((name) => name.endsWith('.sql'))) {
      expect(readFileSync(`${MIGRATIONS}/${file}`, 'utf8'), file).not.toMatch(/"public"\./);
    }
  });
});
