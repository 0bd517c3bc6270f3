// Invariant: "forgot password" answers the same — 200, no body, response-time medians within 20 % — whether the identifier names an account (which gets a mail) or not.
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, median, registerAccount, request } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';

const TRIES = 50;
const clock = new ManualClock(Date.now());
let server: TestServer;
let known: Account[];
beforeAll(async () => {
  server = await startTestServer({ clock, productionArgon2: true });
  known = [];
  for (let i = 0; i < 3; i++) known.push(await registerAccount(server.url, 'fn'));
});
afterAll(() => server.close());

describe('forgot password enumeration', () => {
  it('answers known and unknown identifiers alike, in status, body and time', async () => {
    const times = { known: [] as number[], unknown: [] as number[] };
    const answers = new Set<string>();
    for (let i = 0; i < TRIES * 2 + 4; i++) {
      const isKnown = i % 2 === 0;
      // 5 hours apart each (each account every 15 h), so the known accounts really get mail:
      // no "too soon" shortcut and no daily cap (5 a day).
      if (isKnown) clock.advanceSeconds(5 * 60 * 60);
      const identifier = isKnown ? known[i % known.length]!.email : `ghost${i}@example.test`;
      const res = await request(server.url, 'POST', '/api/user/password/forgot', { body: { identifier } });
      answers.add(`${res.status} ${res.text}`);
      if (i >= 4) times[isKnown ? 'known' : 'unknown'].push(res.ms);
    }
    expect([...answers]).toEqual(['200 ']);
    const [a, b] = [median(times.known), median(times.unknown)];
    expect(Math.abs(a - b) / Math.max(a, b)).toBeLessThan(0.2);
  });
});
