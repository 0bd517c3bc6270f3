import { getTableName, is, Table } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as schema from '../store/sqlite/schema/index.js';
import { createTestDevice, createUser, openTestCore, type StoreTestCore, testSql } from '../testing/index.js';
import { LOGIN_ADDRESS_POLICY } from '../throttle/failure-counter.js';
import { loginWithPassword } from './login.js';
import { PROVEN_LOGIN_TTL_SECONDS } from './proven-login.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const meta = { clientAddress: '192.0.2.10' };
const sprayer = { clientAddress: '198.51.100.7' };

/** Throttles `from`'s address: 30 failed logins for unknown names. */
async function throttle(from: { clientAddress: string }) {
  for (let i = 0; i < LOGIN_ADDRESS_POLICY.maxFailures; i++) {
    await loginWithPassword(t.core, { username: `nobody-${i}`, password: 'wrong password' }, from).catch(
      () => undefined,
    );
  }
}

/** Every row of every table (same names on both stores), as JSON, by table. */
async function snapshotRows(): Promise<Map<string, string[]>> {
  const exported: unknown[] = Object.values(schema);
  const tables = exported.filter((value): value is Table => is(value, Table));
  const rows = new Map<string, string[]>();
  for (const table of tables) {
    const name = getTableName(table);
    rows.set(
      name,
      (await testSql(t.core).all(`SELECT * FROM ${name}`)).map((row) => JSON.stringify(row)),
    );
  }
  return rows;
}

/** Rows written between two snapshots: per table, the more of rows gone and rows new (an update is one of each). */
function rowsWritten(before: Map<string, string[]>, after: Map<string, string[]>): number {
  let written = 0;
  for (const [name, rowsAfter] of after) {
    const left = new Map<string, number>();
    for (const row of before.get(name) ?? []) left.set(row, (left.get(row) ?? 0) + 1);
    let added = 0;
    for (const row of rowsAfter) {
      const n = left.get(row) ?? 0;
      if (n > 0) left.set(row, n - 1);
      else added++;
    }
    const removed = [...left.values()].reduce((sum, n) => sum + n, 0);
    written += Math.max(added, removed);
  }
  return written;
}

describe('device tokens', () => {
  it('hands out a signed token once and keeps the one a client holds; none is stored', async () => {
    const { input } = await createUser(t.core);
    const browser = createTestDevice();
    const rowsBefore = await snapshotRows();
    await loginWithPassword(t.core, input, meta, browser);
    const rowsAfter = await snapshotRows();
    const first = browser.issued;
    expect(first).toMatch(/^[\w-]+\.\d+\.[\w-]+\.[\w-]{43}$/);
    // The login's own writes (event, session, address row, the account's first login after
    // registering; the new client's notice and its budget) and nothing for the token.
    expect(rowsWritten(rowsBefore, rowsAfter)).toBeLessThanOrEqual(6);
    expect([...rowsAfter.values()].flat().join('\n')).not.toContain(first?.split('.').at(-1));

    const again = createTestDevice(first);
    await loginWithPassword(t.core, input, meta, again);
    expect(again.issued).toBeUndefined();

    // Once expired, the next complete login replaces it.
    t.clock.advanceSeconds(PROVEN_LOGIN_TTL_SECONDS);
    await loginWithPassword(t.core, input, meta, again);
    expect(again.issued).toBeTypeOf('string');
    expect(again.issued).not.toBe(first);
  });

  it('a token whose user, expiry or nonce was changed proves nothing', async () => {
    const { input } = await createUser(t.core);
    const browser = createTestDevice();
    await loginWithPassword(t.core, { username: input.username, password: input.password }, meta, browser);
    const token = browser.issued as string;
    const [user, expiry, nonce, mac] = token.split('.');
    const tampered = [
      `${user}.${Number(expiry) + 86_400}.${nonce}.${mac}`,
      `${user}.${expiry}.${nonce}x.${mac}`,
      `00000000-0000-4000-8000-000000000000.${expiry}.${nonce}.${mac}`,
      // Another last character (the MAC may itself end in A).
      `${user}.${expiry}.${nonce}.${mac?.slice(0, -1)}${mac?.endsWith('A') ? 'B' : 'A'}`,
    ];
    await throttle(sprayer);
    for (const forged of tampered) {
      await expect(loginWithPassword(t.core, input, sprayer, createTestDevice(forged))).rejects.toMatchObject(
        { code: 'TOO_MANY_ATTEMPTS' },
      );
    }
    // The genuine token does (last: its complete login makes the address known too).
    await expect(loginWithPassword(t.core, input, sprayer, createTestDevice(token))).resolves.toMatchObject({
      status: 'authenticated',
    });
  });
});
