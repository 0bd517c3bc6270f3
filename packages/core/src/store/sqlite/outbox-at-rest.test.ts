/**
 * Invariant: a reset code never lies in clear in the files SQLite writes (main file, WAL,
 * shared memory), while its email waits or after it is sent. The row-level checks, on both
 * stores: mail/outbox.security.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimDueMail } from '../../mail/claim-due.js';
import { markMailSent } from '../../mail/mark-sent.js';
import { createTestCore, enqueueTestResetCode, TEST_RESET_CODE, type TestCore } from '../../testing/index.js';

let t: TestCore;
beforeEach(() => {
  t = createTestCore();
});
afterEach(() => t.close());

const CODE = TEST_RESET_CODE;
const enqueueCode = (to: string) => enqueueTestResetCode(t.core, to);

/** Every byte SQLite wrote for this database: main file, WAL and shared memory. */
function databaseBytes(): string {
  const dir = dirname(t.databaseFile);
  return readdirSync(dir)
    .map((name) => readFileSync(join(dir, name)).toString('latin1'))
    .join('');
}

describe('SQLite files of the outbox', () => {
  it('hold no reset code in clear while the email waits', async () => {
    await enqueueCode('alice@example.test');
    expect(databaseBytes()).not.toContain(CODE);
  });

  it('hold no reset code in clear once the email is sent', async () => {
    await enqueueCode('alice@example.test');
    const [mail] = (await claimDueMail(t.core, { owner: 'w' })).claimed;
    expect(mail?.text).toContain(CODE);
    await markMailSent(t.core, mail?.id ?? '', 'w');
    expect(databaseBytes()).not.toContain(CODE);
  });
});
