import { afterEach, describe, expect, it } from 'vitest';
import { listSecurityEvents } from '../../events/list.js';
import { recordSecurityEvent } from '../../events/record.js';
import { createTestCore, createUser, TEST_META, type TestCore } from '../../testing/index.js';

const opened: TestCore[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
});
const open = () => {
  const t = createTestCore();
  opened.push(t);
  return t;
};

describe('SQLite store transactions', () => {
  it('are part of the transaction they run in: a rolled-back transaction leaves nothing', async () => {
    const t = open();
    const { auth } = await createUser(t.core);
    const before = (await listSecurityEvents(t.core, auth.id)).events.length;
    await expect(
      t.core.store.transaction(async (tx) => {
        await recordSecurityEvent(t.core, tx, auth.id, 'login_failed', TEST_META);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await listSecurityEvents(t.core, auth.id)).events).toHaveLength(before);

    await t.core.store.transaction((tx) =>
      recordSecurityEvent(t.core, tx, auth.id, 'login_failed', TEST_META),
    );
    expect((await listSecurityEvents(t.core, auth.id)).events).toHaveLength(before + 1);
  });

  it('run on the store they are called on, never on another one', async () => {
    const a = open();
    const b = open();
    const userA = (await createUser(a.core)).auth;
    const userB = (await createUser(b.core)).auth;
    await a.core.store.transaction((tx) =>
      recordSecurityEvent(a.core, tx, userA.id, 'login_failed', TEST_META),
    );
    await b.core.store.transaction((tx) =>
      recordSecurityEvent(b.core, tx, userB.id, 'login_failed', TEST_META),
    );
    const countA = (await listSecurityEvents(a.core, userA.id)).events.length;
    const countB = (await listSecurityEvents(b.core, userB.id)).events.length;
    await b.core.store.transaction((tx) =>
      recordSecurityEvent(b.core, tx, userB.id, 'login_failed', TEST_META),
    );
    expect((await listSecurityEvents(a.core, userA.id)).events).toHaveLength(countA);
    expect((await listSecurityEvents(b.core, userB.id)).events).toHaveLength(countB + 1);
  });

  it('keep the connection: a read outside waits for the commit and never sees a row before it', async () => {
    const t = open();
    const { auth } = await createUser(t.core);
    const before = (await listSecurityEvents(t.core, auth.id)).events.length;
    let wrote!: () => void;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    let finish!: () => void;
    const mayCommit = new Promise<void>((resolve) => (finish = resolve));
    const transaction = t.core.store.transaction(async (tx) => {
      await recordSecurityEvent(t.core, tx, auth.id, 'login_failed', TEST_META);
      wrote();
      await mayCommit;
    });
    await written;
    // Another request's read, while the transaction is open with its row written.
    let answered = false;
    const outside = listSecurityEvents(t.core, auth.id).finally(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    finish();
    await transaction;
    expect((await outside).events).toHaveLength(before + 1);
  });

  it('serialize parallel transactions: each sees the one before it committed', async () => {
    const t = open();
    const { auth } = await createUser(t.core);
    const counts = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.core.store.transaction(async (tx) => {
          const seen = (await tx.events.listNewestOfUser({ userId: auth.id, limit: 1000 })).length;
          await new Promise((resolve) => setImmediate(resolve));
          await recordSecurityEvent(t.core, tx, auth.id, 'login_failed', TEST_META);
          return seen;
        }),
      ),
    );
    expect(new Set(counts).size).toBe(20);
  });

  it('refuse the store itself inside a transaction, where it would wait for its own lock', async () => {
    const t = open();
    const { auth } = await createUser(t.core);
    await expect(t.core.store.transaction(async () => listSecurityEvents(t.core, auth.id))).rejects.toThrow(
      /inside a transaction/,
    );
    await expect(
      t.core.store.transaction(async () => t.core.store.transaction(async () => 1)),
    ).rejects.toThrow(/inside a transaction/);
    // The lock was released: the store answers again.
    await expect(listSecurityEvents(t.core, auth.id)).resolves.toBeDefined();
  });
});
