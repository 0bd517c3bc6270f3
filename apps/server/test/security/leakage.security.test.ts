// Invariant: no password, TOTP secret, TOTP code, recovery code, reset code, MFA token, reset token or JWT appears in the server's logs, in any error body, or anywhere in the SQLite files (.sqlite, -wal, -shm).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpResult, registerAccount, request } from '../support/http.js';
import { createMfaUser, knownKeys, type MfaAccount, mfaTokenOf, openMailbox } from '../support/mfa.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { codeNow, decodeBase32, nextCode } from '../support/totp.js';

const clock = new ManualClock(Date.now());
const keys = knownKeys();
let server: TestServer;
const secrets = new Set<string>();
const responses: HttpResult[] = [];
const track = async (promise: Promise<HttpResult>) => {
  const res = await promise;
  responses.push(res);
  return res;
};

/** Spellings of a secret worth looking for: as shown, normalised, lowercase. */
function remember(...values: string[]) {
  for (const value of values) {
    secrets.add(value);
    secrets.add(value.replace(/[-\s]/g, ''));
    secrets.add(value.toLowerCase());
  }
}

beforeAll(async () => {
  server = await startTestServer({ clock, env: keys });
  // Every flow once, including failures, so every secret passes through the server.
  const account = await registerAccount(server.url, 'lk');
  remember(account.password, account.token);
  const user: MfaAccount = await createMfaUser(server.url, clock, account);
  remember(user.secret, ...user.recoveryCodes);
  secrets.add(decodeBase32(user.secret).toString('hex'));
  secrets.add(decodeBase32(user.secret).toString('base64'));

  const mfaToken = await mfaTokenOf(server.url, user);
  remember(mfaToken);
  await track(
    request(server.url, 'POST', '/api/user/mfa/auth', { body: { token: mfaToken, code: '000000' } }),
  );
  const code = await nextCode(user.secret, clock);
  remember(code);
  const authed = await track(
    request(server.url, 'POST', '/api/user/mfa/auth', { body: { token: mfaToken, code } }),
  );
  remember((authed.json as { token: string }).token);
  await track(request(server.url, 'POST', '/api/user/mfa/auth', { body: { token: mfaToken, code } }));
  await track(request(server.url, 'PUT', '/api/user/mfa/disable', { token: user.token, body: { code } }));
  await track(
    request(server.url, 'POST', '/api/login', {
      body: { username: user.username, password: `${user.password}x` },
    }),
  );

  const recovered = await track(
    request(server.url, 'POST', '/api/user/mfa/recover', {
      body: { identifier: user.username, recovery_code: user.recoveryCodes[0] },
    }),
  );
  remember((recovered.json as { token: string }).token);
  await track(
    request(server.url, 'POST', '/api/user/mfa/recover', {
      body: { identifier: user.username, recovery_code: user.recoveryCodes[0] },
    }),
  );

  const requested = await track(
    request(server.url, 'POST', '/api/user/mfa/reset', { body: { identifier: user.username } }),
  );
  const resetToken = (requested.json as { token: string }).token;
  remember(resetToken);
  const codes = await openMailbox(server, keys).resetCodes(user);
  remember(codes.main_email_code, codes.recovery_email_code);
  await track(
    request(server.url, 'PUT', `/api/user/mfa/reset/${resetToken}`, {
      body: { main_email_code: codes.main_email_code, recovery_email_code: codes.main_email_code },
    }),
  );
  const reset = await track(request(server.url, 'PUT', `/api/user/mfa/reset/${resetToken}`, { body: codes }));
  remember((reset.json as { token: string }).token);
  await track(request(server.url, 'PUT', `/api/user/mfa/reset/${resetToken}`, { body: codes }));
  // Secrets in places they do not belong: the path, a bad body, a wrong header.
  await track(
    request(server.url, 'GET', `/api/user/mfa/reset/${user.secret}`, { token: mfaToken, unchecked: true }),
  );
  await track(
    request(server.url, 'POST', '/api/login', {
      body: { username: user.recoveryCodes[1], password: user.secret },
    }),
  );
  await track(
    request(server.url, 'POST', '/api/user/mfa/auth', {
      body: { token: resetToken, code: await codeNow(user.secret, clock) },
    }),
  );
  await track(request(server.url, 'GET', '/trpc/auth.me', { unchecked: true, token: user.recoveryCodes[2] }));
  expect(secrets.size).toBeGreaterThan(20);
});
afterAll(() => server.close());

const leaksIn = (haystack: string) =>
  [...secrets].filter((secret) => secret.length >= 5 && haystack.includes(secret));

describe('leakage', () => {
  it('logs hold no secret, and no raw path with a reset token', () => {
    const logs = server.logs.join('\n');
    expect(server.logs.length).toBeGreaterThan(10);
    expect(leaksIn(logs)).toEqual([]);
    expect(logs).toContain('/api/user/mfa/reset/:user-id');
  });

  it('error bodies hold no secret', () => {
    const errors = responses.filter((r) => r.status >= 400);
    expect(errors.length).toBeGreaterThan(8);
    for (const res of errors) expect(leaksIn(res.text)).toEqual([]);
  });

  it('the SQLite files hold no secret, in text or in the secret key bytes', () => {
    const files = readdirSync(server.dataDir).filter((name) => name.includes('.sqlite'));
    expect(files).toContain('twofold.sqlite');
    const keyBytes = decodeBase32([...secrets].find((s) => /^[A-Z2-7]{32}$/.test(s))!);
    for (const name of files) {
      const bytes = readFileSync(join(server.dataDir, name));
      expect({ name, leaks: leaksIn(bytes.toString('latin1')) }).toEqual({ name, leaks: [] });
      expect({ name, rawKey: bytes.includes(keyBytes) }).toEqual({ name, rawKey: false });
    }
  });
});
