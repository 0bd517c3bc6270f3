// Invariant: an account an operator disabled gets, over HTTP, the very answer of an enabled account to every wrong password (status, body, headers, lockout), and ACCOUNT_DISABLED only for the right one; its sessions end at once, no other way in (recover, forgot password) opens it, and only a key with users:write can disable or enable, each time recorded with the key.
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../support/cli.js';
import { type Account, type HttpResult, registerAccount, request } from '../support/http.js';
import { createMfaUser } from '../support/mfa.js';
import { startTestServer, type TestServer } from '../support/server.js';

let clock: ManualClock;
let server: TestServer;
let writer = '';
let reader = '';

async function createKey(name: string, scopes: string): Promise<string> {
  const run = await runCliProcess(['admin', 'keys', 'create', '--name', name, '--scope', scopes], server.env);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout.trim();
}

const idOf = (key: string) => key.split('_')[1];
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const admin = (key: string, action: string, user: string) =>
  request(server.url, 'POST', `/api/admin/users/${user}/${action}`, { headers: bearer(key) });
// Every request comes from 127.0.0.1: locks are per account and address, so accounts do not
// share them, and this file stays far below the address-wide limit (30).
const login = (account: Account, password: string) =>
  request(server.url, 'POST', '/api/login', { body: { username: account.username, password } });

/** What a client can see of an answer, but the values that move with the clock. */
function observable(res: HttpResult) {
  const headers = [...res.headers.entries()]
    .filter(([name]) => !['date', 'x-account-lockout', 'retry-after'].includes(name))
    .sort();
  const lockout = ['x-account-lockout', 'retry-after'].map((name) => res.headers.has(name));
  return { status: res.status, body: res.json, headers, lockout };
}

beforeAll(async () => {
  clock = new ManualClock(Date.now());
  server = await startTestServer({ clock });
  [writer, reader] = await Promise.all([
    createKey('writer', 'users:read,users:write,events:read'),
    createKey('reader', 'users:read,events:read'),
  ]);
}, 120_000);
afterAll(() => server.close());

describe('who may disable', () => {
  it('needs an admin key with users:write, over REST and tRPC', async () => {
    const account = await registerAccount(server.url, 'scp');
    for (const action of ['disable', 'enable']) {
      expect((await admin(reader, action, account.id)).status).toBe(403);
      const anonymous = await request(server.url, 'POST', `/api/admin/users/${account.id}/${action}`);
      expect(anonymous.status).toBe(401);
      const withSession = await request(server.url, 'POST', `/api/admin/users/${account.id}/${action}`, {
        token: account.token,
      });
      expect(withSession.status).toBe(401);
      const trpc = await request(server.url, 'POST', `/trpc/admin.users.${action}`, {
        unchecked: true,
        headers: bearer(reader),
        body: { user: account.id },
      });
      expect(trpc.status).toBe(403);
    }
    expect((await request(server.url, 'GET', '/api/auth/user', { token: account.token })).status).toBe(200);
    expect((await admin(writer, 'disable', 'nobody-at-all')).status).toBe(404);
  });
});

describe('a disabled account over HTTP', () => {
  it('answers wrong passwords and the lockout exactly like an enabled account', async () => {
    const [enabled, disabled] = [
      await registerAccount(server.url, 'en'),
      await registerAccount(server.url, 'dis'),
    ];
    expect((await admin(writer, 'disable', disabled.username)).status).toBe(200);
    const run = async (account: Account) => {
      const seen = [];
      for (let i = 0; i < 5; i += 1) seen.push(observable(await login(account, 'not the password')));
      seen.push(observable(await login(account, account.password)));
      return seen;
    };
    const onEnabled = await run(enabled);
    const onDisabled = await run(disabled);
    expect(onDisabled).toEqual(onEnabled);
    expect(onDisabled.map((seen) => seen.status)).toEqual([401, 401, 401, 401, 401, 429]);
    expect(onDisabled[5]?.lockout).toEqual([true, true]);
  });

  it('ends its sessions, tells ACCOUNT_DISABLED to the right password only, and opens again when enabled', async () => {
    const account = await registerAccount(server.url, 'off');
    const disabled = await admin(writer, 'disable', account.email);
    expect(disabled.status).toBe(200);
    expect(disabled.json).toEqual({ done: true });
    expect((await request(server.url, 'GET', '/api/auth/user', { token: account.token })).status).toBe(401);
    const found = await request(server.url, 'GET', `/api/admin/users/${account.id}`, {
      headers: bearer(writer),
    });
    expect(found.json).toMatchObject({ disabled: true });

    const right = await login(account, account.password);
    expect(right.status).toBe(403);
    expect(right.json).toEqual({ code: 'ACCOUNT_DISABLED', message: expect.any(String) });
    expect(right.headers.get('x-mfa-token')).toBeNull();
    const trpc = await request(server.url, 'POST', '/trpc/auth.login', {
      unchecked: true,
      body: { username: account.username, password: account.password },
    });
    expect(trpc.status).toBe(403);

    const enabled = await request(server.url, 'POST', '/trpc/admin.users.enable', {
      unchecked: true,
      headers: bearer(writer),
      body: { user: account.username },
    });
    expect(enabled.status).toBe(200);
    expect((await login(account, account.password)).status).toBe(200);

    const events = await request(server.url, 'GET', `/api/admin/users/${account.id}/events`, {
      headers: bearer(writer),
    });
    const byKey = (events.json as { events: { type: string; adminKeyId: string | null }[] }).events
      .filter((event) => event.type === 'admin_user_disabled' || event.type === 'admin_user_enabled')
      .map((event) => [event.type, event.adminKeyId]);
    expect(byKey).toEqual([
      ['admin_user_enabled', idOf(writer)],
      ['admin_user_disabled', idOf(writer)],
    ]);
  });

  it('is not let in by a recovery code, nor mailed a forgotten-password code', async () => {
    const account = await createMfaUser(server.url, clock, await registerAccount(server.url, 'rec'));
    expect((await admin(writer, 'disable', account.id)).status).toBe(200);
    const recover = (recovery_code: string) =>
      request(server.url, 'POST', '/api/user/mfa/recover', {
        body: { identifier: account.username, recovery_code },
      });
    expect((await recover('AAAAAAAAAAAAAAAA')).status).toBe(401);
    const refused = await recover(account.recoveryCodes[0] ?? '');
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ code: 'ACCOUNT_DISABLED' });
    expect(refused.headers.get('x-expires-at')).toBeNull();

    const forgot = await request(server.url, 'POST', '/api/user/password/forgot', {
      body: { identifier: account.username },
    });
    expect(forgot.status).toBe(200);
    const mail = await request(server.url, 'GET', '/api/dev/mail');
    const kinds = (mail.json as { messages: { kind: string; to: string }[] }).messages
      .filter((message) => message.to === account.email)
      .map((message) => message.kind);
    expect(kinds).not.toContain('password-reset-code');
  });

  it('is disabled and enabled from the local command line too, recorded as `cli`', async () => {
    const account = await registerAccount(server.url, 'cli');
    const off = await runCliProcess(['admin', 'users', 'disable', account.username], server.env);
    expect(off.code, off.stderr).toBe(0);
    expect(JSON.parse(off.stdout)).toEqual({ done: true });
    expect((await login(account, account.password)).status).toBe(403);
    const on = await runCliProcess(['admin', 'users', 'enable', account.username], server.env);
    expect(on.code, on.stderr).toBe(0);
    expect((await login(account, account.password)).status).toBe(200);
    const events = await request(server.url, 'GET', `/api/admin/users/${account.id}/events`, {
      headers: bearer(writer),
    });
    expect((events.json as { events: { type: string; adminKeyId: string | null }[] }).events).toContainEqual(
      expect.objectContaining({ type: 'admin_user_disabled', adminKeyId: 'cli' }),
    );
  });
});
