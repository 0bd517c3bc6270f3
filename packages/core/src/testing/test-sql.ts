import type { Core } from '../context.js';
import type { PostgresStore } from '../store/postgres/store.js';
import type { SqliteStore } from '../store/sqlite/store.js';

/**
 * Plain SQL on a test core's database, whichever the store: for tests that look at or shape
 * rows the API does not show. Write it in the SQL both speak, with `?` placeholders; columns
 * are snake_case. Booleans read 0/1 on SQLite and false/true on PostgreSQL.
 */
export interface TestSql {
  all<Row = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<Row[]>;
  get<Row = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<Row | undefined>;
  /** Returns how many rows the statement changed. */
  run(text: string, ...params: unknown[]): Promise<number>;
}

export function testSql(core: Core): TestSql {
  const { store } = core;
  if (store.dialect === 'sqlite') {
    const sqlite = (store as SqliteStore).db.$client;
    return {
      async all<Row>(text: string, ...params: unknown[]) {
        return sqlite.prepare(text).all(...params) as Row[];
      },
      async get<Row>(text: string, ...params: unknown[]) {
        return sqlite.prepare(text).get(...params) as Row | undefined;
      },
      async run(text, ...params) {
        return sqlite.prepare(text).run(...params).changes;
      },
    };
  }
  const { pool } = store as PostgresStore;
  const numbered = (text: string) => {
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  };
  return {
    async all<Row>(text: string, ...params: unknown[]) {
      return (await pool.query(numbered(text), params)).rows as Row[];
    },
    async get<Row>(text: string, ...params: unknown[]) {
      return (await pool.query(numbered(text), params)).rows[0] as Row | undefined;
    },
    async run(text, ...params) {
      return (await pool.query(numbered(text), params)).rowCount ?? 0;
    },
  };
}
