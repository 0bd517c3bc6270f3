// Invariant: a reset request answers the same — 200, a body of one random token, response-time medians within 20 % — for unknown accounts, accounts without MFA and accounts with MFA and a recovery email.
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { median, registerAccount, request } from '../support/http.js';
import { createMfaUser, knownKeys, type MfaAccount } from '../support/mfa.js';
import { startTestServer, type TestServer } from '../support/server.js';

const TRIES = 50;
const clock = new ManualClock(Date.now());
let server: TestServer;
let known: MfaAccount[];
beforeAll(async () => {
  server = await startTestServer({ clock, env: knownKeys(), productionArgon2: true });
  known = [];
  for (let i = 0; i < 3; i++)
    known.push(await createMfaUser(server.url, clock, await registerAccount(server.url, 'rn')));
});
afterAll(() => server.close());

describe('reset request enumeration', () => {
  it('answers known and unknown accounts alike, in status, body shape and time', async () => {
    const times = { known: [] as number[], unknown: [] as number[] };
    const shapes = new Set<string>();
    const tokens = new Set<string>();
    for (let i = 0; i < TRIES * 2 + 4; i++) {
      const isKnown = i % 2 === 0;
      // 5 hours apart each (each account every 15 h), so the known accounts really send mail:
      // no "too soon" shortcut and no daily cap (5 a day).
      if (isKnown) clock.advanceSeconds(5 * 60 * 60);
      const identifier = isKnown ? known[i % known.length]!.email : `ghost${i}@example.test`;
      const res = await request(server.url, 'POST', '/api/user/mfa/reset', { body: { identifier } });
      expect(res.status).toBe(200);
      const body = res.json as { token: string };
      shapes.add(JSON.stringify(Object.keys(body)));
      expect(body.token).toMatch(/^[0-9a-f-]{36}$/);
      tokens.add(body.token);
      if (i >= 4) times[isKnown ? 'known' : 'unknown'].push(res.ms);
    }
    expect([...shapes]).toEqual(['["token"]']);
    expect(tokens.size).toBe(TRIES * 2 + 4);
    const [a, b] = [median(times.known), median(times.unknown)];
    expect(Math.abs(a - b) / Math.max(a, b)).toBeLessThan(0.2);
  });

  it('an unknown token, a user id without a live request and wrong codes all answer the same 401', async () => {
    const body = { main_email_code: 'AAAAA', recovery_email_code: 'BBBBB' };
    const plain = await registerAccount(server.url, 'rn');
    const ids = ['00000000-0000-4000-8000-000000000000', plain.id];
    // A live request, by its token and by its user id, with wrong codes.
    clock.advanceSeconds(61);
    const { token } = (
      await request(server.url, 'POST', '/api/user/mfa/reset', { body: { identifier: known[1]!.email } })
    ).json as { token: string };
    ids.push(token, known[1]!.id);
    const answers = new Set<string>();
    for (const id of ids) {
      const res = await request(server.url, 'PUT', `/api/user/mfa/reset/${id}`, { body });
      answers.add(`${res.status} ${res.text}`);
    }
    expect([...answers]).toHaveLength(1);
    expect([...answers][0]).toMatch(/^401 /);
    expect(JSON.parse([...answers][0]!.slice(4))).toEqual({
      message: expect.any(String),
      code: 'INVALID_CODE',
    });
  });
});
