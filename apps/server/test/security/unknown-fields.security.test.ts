// Invariant: a request field that neither Twofold nor ShellHub's reference documents for the operation is refused with 400 naming it in `fields`, on every REST route and tRPC procedure, before anything changes; the documented extras (`email_marketing`, `sig`, `email`, `username`, `password`, `current_password`) are accepted.
import { appRouter, restRoutes } from '@twofold/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../support/cli.js';
import { type Account, type HttpResult, registerAccount, request } from '../support/http.js';
import { concretePath } from '../support/protected.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let account: Account;
/** Admin procedures take an operator's key instead of a session (docs/contract.md § Administration). */
let adminKey: string;
beforeAll(async () => {
  server = await startTestServer();
  account = await registerAccount(server.url, 'uf');
  const created = await runCliProcess(
    [
      'admin',
      'keys',
      'create',
      '--name',
      'uf',
      '--scope',
      'users:read,users:write,events:read,lockouts:write,mfa:reset,sessions:end',
    ],
    server.env,
  );
  expect(created.code, created.stderr).toBe(0);
  adminKey = created.stdout.trim();
}, 60_000);
afterAll(() => server.close());

const UNKNOWN = { surprise: 1 };

function expectUnknownFieldRefused(res: HttpResult, field = 'surprise') {
  expect(res.status, res.text).toBe(400);
  expect(res.json).toMatchObject({ code: 'INVALID_INPUT', fields: { [field]: expect.any(String) } });
}

const bodyRoutes = restRoutes.filter((route) => route.method !== 'GET');

describe.each(bodyRoutes)('$method $path', (route) => {
  it('refuses an unknown field with 400 naming it', async () => {
    const res = await request(server.url, route.method, concretePath(route.path), {
      body: UNKNOWN,
      ...(route.isProtected ? { token: account.token } : {}),
    });
    expectUnknownFieldRefused(res);
  });
});

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
).map(([path, procedure]) => ({ path, type: procedure._def.type }));

describe.each(procedures)('tRPC $path', ({ path, type }) => {
  it('refuses an unknown field with 400 naming it', async () => {
    const headers = { authorization: `Bearer ${path.startsWith('admin.') ? adminKey : account.token}` };
    const res =
      type === 'query'
        ? await request(
            server.url,
            'GET',
            `/trpc/${path}?input=${encodeURIComponent(JSON.stringify(UNKNOWN))}`,
            { unchecked: true, headers },
          )
        : await request(server.url, 'POST', `/trpc/${path}`, { unchecked: true, body: UNKNOWN, headers });
    expect(res.status, res.text).toBe(400);
    expect(res.json).toMatchObject({
      error: { data: { appCode: 'INVALID_INPUT', fields: { surprise: expect.any(String) } } },
    });
  });
});

describe('well-formed bodies with one field too many', () => {
  it('PATCH /api/users changes nothing when a field is unknown', async () => {
    const res = await request(server.url, 'PATCH', '/api/users', {
      token: account.token,
      body: { name: 'Changed Name', nickname: 'x' },
    });
    expectUnknownFieldRefused(res, 'nickname');
    const me = await request(server.url, 'GET', '/api/auth/user', { token: account.token });
    expect(me.json).toMatchObject({ name: `Test ${account.username}` });
  });

  it('login and the reset path parameter refuse extras too', async () => {
    expectUnknownFieldRefused(
      await request(server.url, 'POST', '/api/login', {
        body: { username: account.username, password: account.password, remember: true },
      }),
      'remember',
    );
    // The id comes from the path; one in the body is not the operation's.
    expectUnknownFieldRefused(
      await request(server.url, 'PUT', '/api/user/mfa/reset/00000000-0000-4000-8000-000000000000', {
        body: { id: 'x', main_email_code: 'ABCDE', recovery_email_code: 'ABCDE' },
      }),
      'id',
    );
  });
});

describe('fields ShellHub documents are accepted', () => {
  it('register takes email_marketing and sig', async () => {
    const unique = `ufx${Date.now().toString(36)}`;
    const res = await request(server.url, 'POST', '/api/register', {
      body: {
        name: 'Extra',
        email: `${unique}@example.test`,
        username: unique,
        password: 'long-enough-password',
        email_marketing: true,
        sig: '',
      },
    });
    expect(res.status, res.text).toBe(200);
  });

  it('PATCH /api/users takes email, username, password and current_password', async () => {
    const res = await request(server.url, 'PATCH', '/api/users', {
      token: account.token,
      body: {
        name: 'Renamed',
        email: account.email,
        username: account.username,
        password: account.password,
        current_password: account.password,
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ name: 'Renamed' });
  });

  it('tRPC auth.register takes email_marketing', async () => {
    const unique = `ufy${Date.now().toString(36)}`;
    const res = await request(server.url, 'POST', '/trpc/auth.register', {
      unchecked: true,
      body: {
        name: 'Extra',
        email: `${unique}@example.test`,
        username: unique,
        password: 'long-enough-password',
        email_marketing: false,
      },
    });
    expect(res.status, res.text).toBe(200);
  });
});
