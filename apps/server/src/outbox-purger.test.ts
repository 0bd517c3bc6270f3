import type { Logger } from '@twofold/api';
import { claimDueMail, MAIL_RETENTION_MS, markMailSent, schema } from '@twofold/core';
import { createTestCore, enqueueTestMail, type TestCore } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOutboxPurger, type OutboxPurger } from './outbox-purger.js';

let t: TestCore;
let logged: { event: string; fields: Record<string, unknown> }[];
let purger: OutboxPurger | undefined;

const logger: Logger = {
  info: (event, fields = {}) => logged.push({ event, fields }),
  error: (event, fields = {}) => logged.push({ event, fields }),
};

beforeEach(() => {
  t = createTestCore();
  logged = [];
});
afterEach(async () => {
  await purger?.stop();
  purger = undefined;
  await t.close();
});

let sequence = 0;

/** Queues and delivers one email now. */
async function sentMail(): Promise<void> {
  sequence += 1;
  await enqueueTestMail(t.core, {
    kind: 'mfa-enabled',
    to: `u${sequence}@example.test`,
    username: `u${sequence}`,
  });
  const [mail] = (await claimDueMail(t.core, { owner: 'w' })).claimed;
  await markMailSent(t.core, mail?.id ?? '', 'w');
}

const rowCount = () => t.store.db.select().from(schema.outbox).all().length;

describe('outbox purger', () => {
  it('purges at start and then every interval, logging how many rows went', async () => {
    await sentMail();
    await sentMail();
    t.clock.set(t.clock.now() + MAIL_RETENTION_MS + 1);
    purger = createOutboxPurger({ core: t.core, logger, intervalMs: 20 });
    purger.start();
    await vi.waitFor(() => expect(rowCount()).toBe(0));
    expect(logged).toEqual([{ event: 'outbox_purged', fields: { deleted: 2 } }]);

    // Mail settled later ages past retention while the server runs: the next run takes it.
    await sentMail();
    expect(rowCount()).toBe(1);
    t.clock.set(t.clock.now() + MAIL_RETENTION_MS + 1);
    await vi.waitFor(() => expect(rowCount()).toBe(0));
    expect(logged.at(-1)).toEqual({ event: 'outbox_purged', fields: { deleted: 1 } });
  });

  it('logs nothing when there is nothing to purge, and does nothing once stopped', async () => {
    await sentMail();
    purger = createOutboxPurger({ core: t.core, logger });
    expect(await purger.runOnce()).toBe(0);
    await purger.stop();
    t.clock.set(t.clock.now() + MAIL_RETENTION_MS + 1);
    expect(await purger.runOnce()).toBe(0);
    expect(rowCount()).toBe(1);
    expect(logged).toEqual([]);
  });
});
