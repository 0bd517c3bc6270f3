import type { Logger } from '@twofold/api';
import { createUser, openTestCore, type StoreTestCore, testSql } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHousekeeper, type Housekeeper } from './housekeeper.js';

let t: StoreTestCore;
let logged: { event: string; fields: Record<string, unknown> }[];
let housekeeper: Housekeeper | undefined;

const logger: Logger = {
  info: (event, fields = {}) => logged.push({ event, fields }),
  error: (event, fields = {}) => logged.push({ event, fields }),
};

beforeEach(async () => {
  t = await openTestCore();
  logged = [];
});
afterEach(async () => {
  await housekeeper?.stop();
  housekeeper = undefined;
  await t.close();
});

const DAY = 24 * 3600;
const eventCount = async () =>
  Number((await testSql(t.core).get<{ n: number | string }>('SELECT count(*) AS n FROM security_events'))?.n);

describe('housekeeper', () => {
  it('purges at start and then every interval, with the configured event retention, logging what went', async () => {
    await createUser(t.core);
    await createUser(t.core);
    // Accounts in use: unverified ones that never logged in again would be released.
    await testSql(t.core).run('UPDATE users SET first_login_at_ms = created_at_ms');
    t.clock.advanceSeconds(8 * DAY);
    housekeeper = createHousekeeper({ core: t.core, logger, securityEventsRetentionDays: 7, intervalMs: 20 });
    housekeeper.start();
    await vi.waitFor(() => expect(logged).toHaveLength(1));
    expect(logged[0]).toEqual({
      event: 'housekeeping_purged',
      fields: { sessions: 2, 'email-verifications': 2, 'security-events': 2 },
    });
    expect(await eventCount()).toBe(0);

    // Events recorded later age past retention while the server runs: the next run takes them.
    await createUser(t.core);
    await testSql(t.core).run('UPDATE users SET first_login_at_ms = created_at_ms');
    expect(await eventCount()).toBe(1);
    t.clock.advanceSeconds(8 * DAY);
    await vi.waitFor(async () => expect(await eventCount()).toBe(0));
  });

  it('logs nothing when there is nothing to purge, and does nothing once stopped', async () => {
    await createUser(t.core);
    housekeeper = createHousekeeper({ core: t.core, logger, securityEventsRetentionDays: 365 });
    expect((await housekeeper.runOnce())?.['security-events']).toBe(0);
    await housekeeper.stop();
    t.clock.advanceSeconds(400 * DAY);
    expect(await housekeeper.runOnce()).toBeUndefined();
    expect(await eventCount()).toBe(1);
    expect(logged).toEqual([]);
  });
});
