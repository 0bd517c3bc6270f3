import { createServer } from 'node:net';
import { restRoutes } from '@twofold/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REMOTE_USER_ACTIONS } from '../src/cli/remote-admin.js';
import { runCliProcess } from './support/cli.js';
import { type Account, registerAccount, request } from './support/http.js';
import { startTestServer, type TestServer } from './support/server.js';

// `twofold admin --url … users …` against a real server: the same subcommands and output as the
// local command line, through the admin REST API, with clear errors (README § Administration).
let server: TestServer;
let account: Account;
let writer = '';
let reader = '';

async function createKey(name: string, scopes: string): Promise<string> {
  const run = await runCliProcess(['admin', 'keys', 'create', '--name', name, '--scope', scopes], server.env);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout.trim();
}

/** Runs the CLI with nothing of the installation in its environment: only the URL and the key. */
const remote = (args: string[], key?: string) =>
  runCliProcess(['admin', '--url', server.url, ...args], key === undefined ? {} : { TWOFOLD_ADMIN_KEY: key });

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  server = await startTestServer();
  account = await registerAccount(server.url, 'rcli');
  [writer, reader] = await Promise.all([
    createKey('remote-writer', 'users:read,users:write,events:read,lockouts:write,mfa:reset,sessions:end'),
    createKey('remote-reader', 'users:read'),
  ]);
}, 120_000);
afterAll(() => server.close());

describe('twofold admin --url', () => {
  it('calls the route of each operation', () => {
    for (const [action, { method, path }] of Object.entries(REMOTE_USER_ACTIONS)) {
      const route = restRoutes.find(
        (r) => r.method === method && r.path === `/api/admin/users/{user}${path}`,
      );
      expect(route?.adminScope, action).toBeDefined();
    }
  });

  it('finds a user through the API with the same output as the local command, recorded with the key', async () => {
    const local = await runCliProcess(['admin', 'users', 'find', account.username], server.env);
    expect(local.code, local.stderr).toBe(0);
    const viaUrl = await remote(['users', 'find', account.username.toUpperCase()], writer);
    expect(viaUrl.code, viaUrl.stderr).toBe(0);
    expect(viaUrl.stdout).toBe(local.stdout);

    const events = await remote(['users', 'events', account.email], writer);
    expect(events.code, events.stderr).toBe(0);
    const list = (JSON.parse(events.stdout) as { events: { type: string; adminKeyId: string | null }[] })
      .events;
    expect(list).toContainEqual(
      expect.objectContaining({ type: 'admin_user_viewed', adminKeyId: writer.split('_')[1] }),
    );
    expect(list).toContainEqual(expect.objectContaining({ type: 'admin_user_viewed', adminKeyId: 'cli' }));
  });

  it('disables and enables an account, the key given by --key as well', async () => {
    const off = await runCliProcess([
      'admin',
      '--url',
      server.url,
      '--key',
      writer,
      'users',
      'disable',
      account.id,
    ]);
    expect(off.code, off.stderr).toBe(0);
    expect(JSON.parse(off.stdout)).toEqual({ done: true });
    const login = () =>
      request(server.url, 'POST', '/api/login', {
        body: { username: account.username, password: account.password },
      });
    expect((await login()).status).toBe(403);
    const on = await remote(['users', 'enable', account.id], writer);
    expect(on.code, on.stderr).toBe(0);
    expect((await login()).status).toBe(200);
  });

  it('says clearly when the key is refused, lacks the scope, or the user does not exist', async () => {
    const wrong = await remote(
      ['users', 'find', account.username],
      `tfa_${'0'.repeat(16)}_${'A'.repeat(43)}`,
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^error: the server refused the admin key \(401 UNAUTHENTICATED\)/);
    expect(wrong.stdout).toBe('');

    const scope = await remote(['users', 'disable', account.username], reader);
    expect(scope.code).toBe(1);
    expect(scope.stderr).toMatch(
      /^error: the admin key may not do this \(403 INSUFFICIENT_SCOPE\): .*users:write/,
    );

    const missing = await remote(['users', 'find', 'nobody-here'], writer);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: the server answered 404 NOT_FOUND: no such user/);
  });

  it('says clearly when the server cannot be reached or the command cannot go remote', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const down = await runCliProcess(['admin', '--url', url, 'users', 'find', 'alice'], {
      TWOFOLD_ADMIN_KEY: writer,
    });
    expect(down.code).toBe(1);
    expect(down.stderr.trim()).toBe(`error: cannot reach ${url}: ECONNREFUSED`);

    const noKey = await remote(['users', 'find', 'alice']);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/--url needs an admin key: --key <key> or TWOFOLD_ADMIN_KEY/);

    const badUrl = await runCliProcess(['admin', '--url', 'ftp://example.test', 'users', 'find', 'alice'], {
      TWOFOLD_ADMIN_KEY: writer,
    });
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toMatch(/--url takes the server's base URL/);

    const keys = await remote(['keys', 'list'], writer);
    expect(keys.code).toBe(1);
    expect(keys.stderr).toMatch(/admin keys works on the local installation only/);

    const keyAlone = await runCliProcess(['admin', '--key', writer, 'users', 'find', 'alice'], server.env);
    expect(keyAlone.code).toBe(1);
    expect(keyAlone.stderr).toMatch(/--key goes with --url/);
    // The key never reaches the output.
    for (const run of [down, noKey, badUrl, keys, keyAlone]) expect(run.stderr).not.toContain(writer);
  });
});
