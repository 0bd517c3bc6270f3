import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueueTestMail, openTestCore, type StoreTestCore } from '../testing/index.js';
import { readMailBacklog } from './backlog.js';
import { claimDueMail } from './claim-due.js';
import { markMailSent } from './mark-sent.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

describe('readMailBacklog', () => {
  it('is empty on a fresh database', async () => {
    expect(await readMailBacklog(t.core)).toEqual({ pending: 0, oldestPendingAgeSeconds: 0 });
  });

  it('counts pending mail and ages the oldest by the core clock; settled mail leaves it', async () => {
    await enqueueTestMail(t.core, { kind: 'mfa-enabled', to: 'a@example.test', username: 'a' });
    t.clock.advanceSeconds(30);
    await enqueueTestMail(t.core, { kind: 'mfa-enabled', to: 'b@example.test', username: 'b' });
    t.clock.advanceSeconds(10);
    expect(await readMailBacklog(t.core)).toEqual({ pending: 2, oldestPendingAgeSeconds: 40 });

    const [first] = (await claimDueMail(t.core, { owner: 'w', limit: 1 })).claimed;
    if (!first) throw new Error('nothing claimed');
    await markMailSent(t.core, first.id, 'w');
    expect(await readMailBacklog(t.core)).toEqual({ pending: 1, oldestPendingAgeSeconds: 10 });
  });
});
