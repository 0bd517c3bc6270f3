import { afterEach, describe, expect, it } from 'vitest';
import { listSecurityEvents } from '../events/list.js';
import { recordSecurityEvent } from '../events/record.js';
import { createTestCore, createUser, TEST_META, type TestCore } from '../testing/index.js';
import { writeTransaction } from './transaction.js';

const opened: TestCore[] = [];
afterEach(() => {
  for (const t of opened.splice(0)) t.close();
});
const open = () => {
  const t = createTestCore();
  opened.push(t);
  return t;
};

describe('prepared queries, built once per database', () => {
  it('are part of the transaction they run in: a rolled-back transaction leaves nothing', async () => {
    const t = open();
    const { auth } = await createUser(t.core);
    const before = listSecurityEvents(t.core, auth.id).events.length;
    expect(() =>
      writeTransaction(t.core.db, (tx) => {
        recordSecurityEvent(t.core, tx, auth.id, 'login_failed', TEST_META);
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    expect(listSecurityEvents(t.core, auth.id).events).toHaveLength(before);

    writeTransaction(t.core.db, (tx) => recordSecurityEvent(t.core, tx, auth.id, 'login_failed', TEST_META));
    expect(listSecurityEvents(t.core, auth.id).events).toHaveLength(before + 1);
  });

  it('run on the database they are called with, never on another one', async () => {
    const a = open();
    const b = open();
    const userA = (await createUser(a.core)).auth;
    const userB = (await createUser(b.core)).auth;
    writeTransaction(a.core.db, (tx) => recordSecurityEvent(a.core, tx, userA.id, 'login_failed', TEST_META));
    writeTransaction(b.core.db, (tx) => recordSecurityEvent(b.core, tx, userB.id, 'login_failed', TEST_META));
    const countA = listSecurityEvents(a.core, userA.id).events.length;
    const countB = listSecurityEvents(b.core, userB.id).events.length;
    writeTransaction(b.core.db, (tx) => recordSecurityEvent(b.core, tx, userB.id, 'login_failed', TEST_META));
    expect(listSecurityEvents(a.core, userA.id).events).toHaveLength(countA);
    expect(listSecurityEvents(b.core, userB.id).events).toHaveLength(countB + 1);
  });
});
