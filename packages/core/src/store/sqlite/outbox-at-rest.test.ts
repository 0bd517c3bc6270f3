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
import { createTestCore, enqueueTestMail, type TestCore } from '../../testing/index.js';

let t: TestCore;
beforeEach(() => {
  t = createTestCore();
});
afterEach(() => t.close());

const CODE = 'Q8W3Z';

async function enqueueCode(to: string) {
  await enqueueTestMail(t.core, {
    kind: 'reset-code',
    to,
    username: 'alice',
    address: 'main',
    code: CODE,
    userId: 'user-1',
    expiresAt: t.clock.now() + 86_400_000,
  });
}

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
