import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestCore, type StoreTestCore } from '../testing/index.js';
import { recordMfaRequirement } from './record-start.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

describe('recordMfaRequirement (docs/contract.md § Required MFA)', () => {
  it('keeps the first start with the requirement as its beginning, across restarts', async () => {
    const first = t.clock.now();
    expect(await recordMfaRequirement(t.store, t.clock, { mode: 'all', graceDays: 7 })).toEqual({
      graceDays: 7,
      sinceMs: first,
    });
    t.clock.advanceSeconds(3 * 24 * 3600);
    // A restart (with another grace) does not move the beginning: the grace is not renewed.
    expect(await recordMfaRequirement(t.store, t.clock, { mode: 'all', graceDays: 10 })).toEqual({
      graceDays: 10,
      sinceMs: first,
    });
  });

  it('forgets the beginning when a server starts with it off, so turning it on again grants a new grace', async () => {
    await recordMfaRequirement(t.store, t.clock, { mode: 'all', graceDays: 7 });
    t.clock.advanceSeconds(60);
    expect(await recordMfaRequirement(t.store, t.clock, { mode: 'off', graceDays: 0 })).toBeUndefined();
    t.clock.advanceSeconds(60);
    const again = await recordMfaRequirement(t.store, t.clock, { mode: 'all', graceDays: 7 });
    expect(again?.sinceMs).toBe(t.clock.now());
  });

  it('agrees between instances starting at once (one beginning)', async () => {
    const starts = await Promise.all(
      Array.from({ length: 5 }, (_, i) => {
        const clock = { now: () => t.clock.now() + i };
        return recordMfaRequirement(t.store, clock, { mode: 'all', graceDays: 1 });
      }),
    );
    expect(new Set(starts.map((start) => start?.sinceMs)).size).toBe(1);
  });
});
