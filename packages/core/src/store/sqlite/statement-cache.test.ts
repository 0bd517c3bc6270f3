import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../../testing/index.js';
import { settleCommits } from './durable-commits.js';

let test: TestCore | undefined;
afterEach(async () => {
  await test?.close();
});

describe('compiled-statement cache', () => {
  it('hands back a statement in its default mode after drizzle used it raw', () => {
    test = createTestCore();
    const sqlite = test.store.db.$client;
    sqlite.exec("CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, 'y')");
    const source = 'SELECT a, b FROM t ORDER BY a';
    expect(sqlite.prepare(source).raw().all()).toEqual([
      [1, 'x'],
      [2, 'y'],
    ]);
    // Same SQL text again: the cached statement must not stay in raw mode.
    expect(sqlite.prepare(source).all()).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
    ]);
  });

  it('gives a fresh statement while the cached one is still iterating', () => {
    test = createTestCore();
    const sqlite = test.store.db.$client;
    sqlite.exec('CREATE TABLE n (v INTEGER); INSERT INTO n VALUES (1), (2), (3)');
    const source = 'SELECT v FROM n ORDER BY v';
    const seen: number[] = [];
    for (const row of sqlite.prepare(source).iterate() as Iterable<{ v: number }>) {
      seen.push(row.v, (sqlite.prepare(source).get() as { v: number }).v);
    }
    expect(seen).toEqual([1, 1, 2, 1, 3, 1]);
  });
});

describe('group commit', () => {
  it('settles after writes from many transactions, and when nothing was written', async () => {
    test = createTestCore();
    const { store } = test;
    const { db } = store;
    await settleCommits(db.$client);
    db.$client.exec('CREATE TABLE w (v INTEGER)');
    const writes = Array.from({ length: 20 }, async (_, i) => {
      // The statement runs on the store's connection, inside the transaction it holds.
      await store.transaction(async () => {
        db.run(sql`INSERT INTO w VALUES (${i})`);
      });
      return settleCommits(db.$client);
    });
    await Promise.all(writes);
    expect((db.$client.prepare('SELECT count(*) AS n FROM w').get() as { n: number }).n).toBe(20);
  });
});
