import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchemas, newTestSchemaName, TEST_DATABASE_URL } from '../../testing/test-store.js';
import { migrateDatabase } from '../sqlite/migrate.js';
import { openSqliteStore, type SqliteStore } from '../sqlite/store.js';
import { migratePostgres } from './migrate.js';
import { openPostgresStore, type PostgresStore } from './store.js';

/**
 * The two stores' migrated schemas: the same tables, columns (and nullability), primary keys,
 * indexes and foreign keys. PostgreSQL's `seq` columns stand for SQLite's rowid (insertion order).
 */
const ROWID_STAND_INS = new Set(['security_events.seq', 'outbox.seq']);
const INTERNAL = /^(__drizzle_migrations|sqlite_.*)$/;

interface Shape {
  columns: string[];
  primaryKeys: string[];
  indexes: string[];
  foreignKeys: string[];
}

let dir: string;
let sqlite: SqliteStore;
let pg: PostgresStore;
const schemaName = newTestSchemaName();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'twofold-parity-'));
  sqlite = openSqliteStore(join(dir, 'parity.sqlite'));
  migrateDatabase(sqlite.db);
  pg = openPostgresStore(TEST_DATABASE_URL, { schemaName });
  await migratePostgres(pg.pool, schemaName);
});

afterAll(async () => {
  await sqlite.close();
  await pg.close();
  await dropSchemas([schemaName]);
  rmSync(dir, { recursive: true, force: true });
});

function sqliteShape(): Map<string, Shape> {
  const db = sqlite.db.$client;
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
  )
    .map((row) => row.name)
    .filter((name) => !INTERNAL.test(name));
  const shapes = new Map<string, Shape>();
  for (const table of tables) {
    const columns = db.pragma(`table_info(${table})`) as { name: string; notnull: number; pk: number }[];
    const indexes = (db.pragma(`index_list(${table})`) as { name: string; unique: number; origin: string }[])
      // Indexes SQLite makes for a primary key are the key itself, compared below.
      .filter((index) => index.origin !== 'pk')
      .map((index) => {
        const on = (db.pragma(`index_info(${index.name})`) as { name: string }[]).map((c) => c.name);
        return `${index.name}(${on.join(',')})${index.unique ? ' unique' : ''}`;
      });
    const foreignKeys = (
      db.pragma(`foreign_key_list(${table})`) as {
        from: string;
        table: string;
        to: string;
        on_delete: string;
      }[]
    ).map((fk) => `${fk.from} -> ${fk.table}.${fk.to} on delete ${fk.on_delete.toLowerCase()}`);
    shapes.set(table, {
      // A primary-key column is NOT NULL in PostgreSQL whatever it says; SQLite says so only for non-integer keys.
      columns: columns.map((c) => `${c.name}${c.notnull || c.pk ? ' not null' : ''}`).sort(),
      primaryKeys: columns
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      indexes: indexes.sort(),
      foreignKeys: foreignKeys.sort(),
    });
  }
  return shapes;
}

async function postgresShape(): Promise<Map<string, Shape>> {
  const q = async <Row>(text: string) => (await pg.pool.query(text, [schemaName])).rows as Row[];
  const tables = (
    await q<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'",
    )
  )
    .map((row) => row.name)
    .filter((name) => !INTERNAL.test(name));
  const columns = await q<{ table: string; name: string; nullable: string }>(
    'SELECT table_name AS table, column_name AS name, is_nullable AS nullable FROM information_schema.columns WHERE table_schema = $1',
  );
  const keys = await q<{ table: string; name: string; position: number }>(
    `SELECT tc.table_name AS table, kcu.column_name AS name, kcu.ordinal_position AS position
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage kcu
         ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
      WHERE tc.table_schema = $1 AND tc.constraint_type = 'PRIMARY KEY'`,
  );
  const indexes = await q<{ table: string; name: string; columns: string; unique: boolean }>(
    `SELECT t.relname AS table, i.relname AS name, ix.indisunique AS unique,
            array_to_string(array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n), ',') AS columns
       FROM pg_index ix
       JOIN pg_class i ON i.oid = ix.indexrelid
       JOIN pg_class t ON t.oid = ix.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 AND NOT ix.indisprimary`,
  );
  const foreignKeys = await q<{
    table: string;
    from: string;
    to_table: string;
    to: string;
    on_delete: string;
  }>(
    `SELECT c.conrelid::regclass::text AS table, a.attname AS from, c.confrelid::regclass::text AS to_table,
            af.attname AS to,
            CASE c.confdeltype WHEN 'c' THEN 'cascade' WHEN 'a' THEN 'no action' WHEN 'r' THEN 'restrict'
                               WHEN 'n' THEN 'set null' ELSE 'set default' END AS on_delete
       FROM pg_constraint c
       JOIN pg_namespace n ON n.oid = c.connamespace
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
      WHERE n.nspname = $1 AND c.contype = 'f'`,
  );
  const shapes = new Map<string, Shape>();
  for (const table of tables) {
    shapes.set(table, {
      columns: columns
        .filter((c) => c.table === table && !ROWID_STAND_INS.has(`${table}.${c.name}`))
        .map((c) => `${c.name}${c.nullable === 'NO' ? ' not null' : ''}`)
        .sort(),
      primaryKeys: keys
        .filter((k) => k.table === table)
        .sort((a, b) => a.position - b.position)
        .map((k) => k.name),
      indexes: indexes
        .filter((i) => i.table === table)
        .map((i) => `${i.name}(${i.columns})${i.unique ? ' unique' : ''}`)
        .sort(),
      foreignKeys: foreignKeys
        .filter((f) => f.table.replace(/^.*\./, '').replace(/"/g, '') === table)
        .map(
          (f) =>
            `${f.from} -> ${f.to_table.replace(/^.*\./, '').replace(/"/g, '')}.${f.to} on delete ${f.on_delete}`,
        )
        .sort(),
    });
  }
  return shapes;
}

describe('schema parity of the two stores', () => {
  it('has the same tables, columns, keys, indexes and foreign keys after every migration', async () => {
    const expected = sqliteShape();
    const actual = await postgresShape();
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [table, shape] of expected) {
      expect(actual.get(table), table).toEqual(shape);
    }
  });
});
