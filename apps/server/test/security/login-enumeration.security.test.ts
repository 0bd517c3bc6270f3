// Invariant: a login for an unknown user and a wrong password for a real one are indistinguishable: same status, same body, same headers that matter, and response-time medians within 20 % over 50 tries each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, median, registerAccount, request } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';

const TRIES = 50;
let server: TestServer;
let accounts: Account[];
beforeAll(async () => {
  // Behind a trusted proxy each try comes from its own address, so lockouts do not mask the timing.
  server = await startTestServer({ env: { TRUST_PROXY: '1' }, productionArgon2: true });
  accounts = await Promise.all([1, 2, 3, 4, 5].map(() => registerAccount(server.url, 'e')));
});
afterAll(() => server.close());

let address = 0;
const fromNewAddress = () => {
  address += 1;
  return { 'x-forwarded-for': `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}` };
};

describe('login enumeration', () => {
  it('answers unknown users and wrong passwords alike, in status, body and time', async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    const bodies = new Set<string>();
    const statuses = new Set<number>();
    for (let i = 0; i < TRIES * 2 + 4; i++) {
      const isKnown = i % 2 === 0;
      const username = isKnown ? accounts[i % accounts.length]!.username : `ghost${i}x`;
      const res = await request(server.url, 'POST', '/api/login', {
        body: { username, password: 'not-the-password' },
        headers: fromNewAddress(),
      });
      statuses.add(res.status);
      bodies.add(res.text);
      expect(res.headers.get('x-mfa-token')).toBeNull();
      // The first rounds warm up both paths (the dummy hash is computed lazily).
      if (i < 4) continue;
      (isKnown ? known : unknown).push(res.ms);
    }
    expect([...statuses]).toEqual([401]);
    expect([...bodies]).toEqual([
      JSON.stringify({ message: 'invalid username or password', code: 'INVALID_CREDENTIALS' }),
    ]);
    const [a, b] = [median(known), median(unknown)];
    expect(Math.abs(a - b) / Math.max(a, b)).toBeLessThan(0.2);
  });

  it('locks an unknown identifier after as many tries as a real account, from one address', async () => {
    const sequence = async (username: string) => {
      const headers = fromNewAddress();
      const seen: string[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await request(server.url, 'POST', '/api/login', {
          body: { username, password: 'still-wrong-1' },
          headers,
        });
        seen.push(`${res.status} ${(res.json as { code: string }).code}`);
      }
      return seen;
    };
    const real = await sequence(accounts[0]!.username);
    expect(await sequence('nobody-at-all')).toEqual(real);
    expect(real.at(-1)).toBe('429 TOO_MANY_ATTEMPTS');
  });
});
