// Invariant: the admin API answers only to an admin key that exists, matches, has not expired or been revoked (401 otherwise, whatever else is presented) and holds the action's scope (403 otherwise); every action it takes is a security event naming the key, and no key ever reaches the log.
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../support/cli.js';
import { type Account, registerAccount, request } from '../support/http.js';
import { createMfaUser } from '../support/mfa.js';
import { startTestServer, type TestServer } from '../support/server.js';

let clock: ManualClock;
let server: TestServer;
let user: Account;
const keys: Record<'full' | 'readOnly' | 'expiring' | 'revoked', string> = {
  full: '',
  readOnly: '',
  expiring: '',
  revoked: '',
};

async function createKey(name: string, scopes: string, extra: string[] = []): Promise<string> {
  const run = await runCliProcess(
    ['admin', 'keys', 'create', '--name', name, '--scope', scopes, ...extra],
    server.env,
  );
  expect(run.code, run.stderr).toBe(0);
  const key = run.stdout.trim();
  expect(key).toMatch(/^tfa_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
  return key;
}

const idOf = (key: string) => key.split('_')[1];
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  clock = new ManualClock(Date.now());
  server = await startTestServer({ clock });
  user = await registerAccount(server.url, 'adm');
  [keys.full, keys.readOnly, keys.expiring, keys.revoked] = await Promise.all([
    createKey('full', 'users:read,events:read,lockouts:write,mfa:reset,sessions:end'),
    createKey('read-only', 'users:read'),
    createKey('expiring', 'users:read', ['--expires-in-days', '1']),
    createKey('revoked', 'users:read'),
  ]);
  const revoked = await runCliProcess(['admin', 'keys', 'revoke', idOf(keys.revoked) ?? ''], server.env);
  expect(revoked.code, revoked.stderr).toBe(0);
}, 120_000);
afterAll(() => server.close());

/** Every admin operation on `user`, over REST and tRPC. */
function everyAdminCall(headers: Record<string, string>) {
  const input = encodeURIComponent(JSON.stringify({ user: user.username }));
  return Promise.all([
    request(server.url, 'GET', `/api/admin/users/${user.username}`, { headers }),
    request(server.url, 'GET', `/api/admin/users/${user.username}/events`, { headers }),
    request(server.url, 'POST', `/api/admin/users/${user.username}/unlock`, { headers }),
    request(server.url, 'GET', `/trpc/admin.users.find?input=${input}`, { unchecked: true, headers }),
    request(server.url, 'POST', '/trpc/admin.users.clearLockouts', {
      unchecked: true,
      headers,
      body: { user: user.username },
    }),
  ]);
}

describe('admin API authentication', () => {
  it('refuses no key, malformed keys, wrong secrets, session JWTs, expired and revoked keys with 401', async () => {
    const wrongSecret = `tfa_${idOf(keys.full)}_${'A'.repeat(43)}`;
    const unknownId = `tfa_${'0'.repeat(16)}_${keys.full.slice(-43)}`;
    const attempts: Record<string, string>[] = [
      {},
      bearer('tfa_nonsense'),
      bearer(wrongSecret),
      bearer(unknownId),
      bearer(`${keys.full}x`),
      bearer(user.token),
      bearer(keys.revoked),
      { authorization: keys.full }, // not a bearer credential
    ];
    for (const headers of attempts) {
      for (const res of await everyAdminCall(headers)) {
        expect(res.status, JSON.stringify(headers)).toBe(401);
      }
    }
    // Valid for a day: refused once the clock passes its expiry.
    expect((await everyAdminCall(bearer(keys.expiring)))[0]?.status).toBe(200);
    // The CLI stamped it by its own clock, a little after this server's clock started.
    clock.advanceSeconds(2 * 24 * 60 * 60);
    for (const res of await everyAdminCall(bearer(keys.expiring))) expect(res.status).toBe(401);
  });

  it('answers 403 INSUFFICIENT_SCOPE for an action outside the key scopes', async () => {
    const [find, events, unlock, trpcFind, trpcUnlock] = await everyAdminCall(bearer(keys.readOnly));
    expect(find?.status).toBe(200);
    expect(trpcFind?.status).toBe(200);
    for (const res of [events, unlock, trpcUnlock]) {
      expect(res?.status).toBe(403);
      expect(JSON.stringify(res?.json)).toContain('INSUFFICIENT_SCOPE');
    }
  });
});

describe('admin actions', () => {
  it('ends a lockout, and records every action as a security event naming the key', async () => {
    const victim = await registerAccount(server.url, 'lock');
    const login = (password: string) =>
      request(server.url, 'POST', '/api/login', { body: { username: victim.username, password } });
    for (let i = 0; i < 5; i += 1) expect((await login('not the password')).status).toBe(401);
    expect((await login(victim.password)).status).toBe(429);

    const found = await request(server.url, 'GET', `/api/admin/users/${victim.email}`, {
      headers: bearer(keys.full),
    });
    expect(found.status).toBe(200);
    expect(found.json).toEqual({
      id: victim.id,
      username: victim.username,
      email: victim.email,
      name: expect.any(String),
      mfa: false,
      disabled: false,
    });
    const unlocked = await request(server.url, 'POST', `/api/admin/users/${victim.id}/unlock`, {
      headers: bearer(keys.full),
    });
    expect(unlocked.status).toBe(200);
    expect(unlocked.json).toEqual({ cleared: 1 });
    expect((await login(victim.password)).status).toBe(200);

    const events = await request(server.url, 'GET', `/api/admin/users/${victim.username}/events`, {
      headers: bearer(keys.full),
    });
    expect(events.status).toBe(200);
    const list = (events.json as { events: { type: string; adminKeyId: string | null }[] }).events;
    const byAdmin = list
      .filter((event) => event.adminKeyId !== null)
      .map((event) => [event.type, event.adminKeyId]);
    expect(byAdmin).toEqual([
      ['admin_events_viewed', idOf(keys.full)],
      ['admin_lockouts_cleared', idOf(keys.full)],
      ['admin_user_viewed', idOf(keys.full)],
    ]);
    expect(list.some((event) => event.type === 'login_locked' && event.adminKeyId === null)).toBe(true);

    // The same, from the local command line: named `cli`.
    const cli = await runCliProcess(['admin', 'users', 'find', victim.username], server.env);
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ id: victim.id });
    const after = await request(server.url, 'GET', `/api/admin/users/${victim.id}/events`, {
      headers: bearer(keys.full),
    });
    const newest = (after.json as { events: { type: string; adminKeyId: string | null }[] }).events;
    expect(newest).toContainEqual(expect.objectContaining({ type: 'admin_user_viewed', adminKeyId: 'cli' }));
  });

  it("resets a user's MFA (sessions end, the user is mailed) and ends sessions; a read-only key may do neither", async () => {
    const account = await createMfaUser(server.url, clock, await registerAccount(server.url, 'rst'));
    const path = `/api/admin/users/${account.id}`;
    for (const action of ['mfa/reset', 'sessions/end']) {
      const refused = await request(server.url, 'POST', `${path}/${action}`, {
        headers: bearer(keys.readOnly),
      });
      expect(refused.status).toBe(403);
    }
    expect((await request(server.url, 'GET', '/api/auth/user', { token: account.token })).status).toBe(200);

    const reset = await request(server.url, 'POST', `${path}/mfa/reset`, { headers: bearer(keys.full) });
    expect(reset.status).toBe(200);
    expect(reset.json).toEqual({ done: true });
    expect((await request(server.url, 'GET', '/api/auth/user', { token: account.token })).status).toBe(401);
    const again = await request(server.url, 'POST', `${path}/mfa/reset`, { headers: bearer(keys.full) });
    expect(again.status).toBe(400);
    expect(again.json).toMatchObject({ code: 'MFA_NOT_ENABLED' });
    const mail = await request(server.url, 'GET', '/api/dev/mail');
    const messages = (mail.json as { messages: { kind: string; to: string }[] }).messages;
    expect(messages).toContainEqual(
      expect.objectContaining({ kind: 'mfa-reset-by-admin', to: account.email }),
    );

    // MFA off: the password alone logs in now; ending sessions then refuses that session.
    const login = await request(server.url, 'POST', '/api/login', {
      body: { username: account.username, password: account.password },
    });
    expect(login.status).toBe(200);
    const token = (login.json as { token: string }).token;
    const ended = await request(server.url, 'POST', `${path}/sessions/end`, { headers: bearer(keys.full) });
    expect(ended.status).toBe(200);
    expect((await request(server.url, 'GET', '/api/auth/user', { token })).status).toBe(401);

    const events = await request(server.url, 'GET', `${path}/events`, { headers: bearer(keys.full) });
    const types = (events.json as { events: { type: string; adminKeyId: string | null }[] }).events
      .filter((event) => event.adminKeyId === idOf(keys.full))
      .map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['admin_mfa_reset', 'admin_sessions_ended']));
  });

  it('an unknown user is 404; a malformed name is 400', async () => {
    const missing = await request(server.url, 'GET', '/api/admin/users/nobody-here', {
      headers: bearer(keys.full),
    });
    expect(missing.status).toBe(404);
    const tooLong = await request(server.url, 'GET', `/api/admin/users/${'x'.repeat(400)}`, {
      headers: bearer(keys.full),
    });
    expect(tooLong.status).toBe(400);
  });

  it('never logs a key or a user named in the path', async () => {
    const logs = server.logs.join('\n');
    for (const key of Object.values(keys)) {
      expect(logs).not.toContain(key);
      expect(logs).not.toContain(key.slice(-43));
    }
    expect(logs).toContain('/api/admin/users/:user');
    expect(logs).not.toContain(`/api/admin/users/${user.username}`);
  });
});
