import { buildRegisterInput } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiTestbed, openApiTestbed } from './api-testbed.js';

let api: ApiTestbed;
beforeEach(async () => {
  api = await openApiTestbed();
});
afterEach(() => api.close());

async function register(overrides = {}) {
  const input = buildRegisterInput(overrides);
  const res = await api.request('POST', '/api/register', { body: input });
  expect(res.status).toBe(200);
  return { input, auth: (await res.json()) as { token: string; id: string } };
}

describe('POST /api/register', () => {
  it('answers 200 with a UserAuth', async () => {
    const input = buildRegisterInput({ email: 'Mixed@Case.TEST' });
    const res = await api.request('POST', '/api/register', { body: input });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      id: expect.any(String),
      origin: 'local',
      user: input.username,
      name: input.name,
      email: 'mixed@case.test',
      recovery_email: '',
      mfa: false,
      admin: false,
    });
  });

  it('answers 409 when the email or username is taken', async () => {
    const { input } = await register();
    const dupEmail = await api.request('POST', '/api/register', {
      body: buildRegisterInput({ email: input.email }),
    });
    expect(dupEmail.status).toBe(409);
    expect(await dupEmail.json()).toMatchObject({
      code: 'EMAIL_TAKEN',
      fields: { email: expect.any(String) },
    });
    const dupName = await api.request('POST', '/api/register', {
      body: buildRegisterInput({ username: input.username }),
    });
    expect(dupName.status).toBe(409);
    expect(await dupName.json()).toMatchObject({ code: 'USERNAME_TAKEN' });
  });

  it('answers 400 with per-field reasons for a malformed body', async () => {
    const res = await api.request('POST', '/api/register', {
      body: {
        name: '',
        email: 'nope',
        username: 'A B',
        password: 'x',
      },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; message: string; fields: Record<string, string> };
    expect(body.code).toBe('INVALID_INPUT');
    expect(Object.keys(body.fields).sort()).toEqual(['email', 'name', 'password', 'username']);
  });
});

describe('POST /api/login and /api/auth/user', () => {
  for (const path of ['/api/login', '/api/auth/user']) {
    it(`${path}: logs in with username or email and sends X-Account-Lockout: 0`, async () => {
      const { input } = await register();
      for (const username of [input.username, input.email.toUpperCase()]) {
        const res = await api.request('POST', path, { body: { username, password: input.password } });
        expect(res.status).toBe(200);
        expect(res.headers.get('x-account-lockout')).toBe('0');
        expect(await res.json()).toMatchObject({ user: input.username, mfa: false });
      }
    });
  }

  it('answers an unknown user and a wrong password with the same 401', async () => {
    const { input } = await register();
    const wrong = await api.request('POST', '/api/login', {
      body: {
        username: input.username,
        password: 'wrong password',
      },
    });
    const unknown = await api.request('POST', '/api/login', {
      body: {
        username: 'ghost-user',
        password: 'wrong password',
      },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.text()).toBe(await unknown.text());
  });

  it('locks after 5 failures with 429, Retry-After and X-Account-Lockout', async () => {
    const { input } = await register();
    for (let i = 0; i < 5; i++) {
      const res = await api.request('POST', '/api/login', {
        body: {
          username: input.username,
          password: 'wrong password',
        },
      });
      expect(res.status).toBe(401);
    }
    const locked = await api.request('POST', '/api/login', {
      body: {
        username: input.username,
        password: input.password,
      },
    });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('60');
    expect(Number(locked.headers.get('x-account-lockout'))).toBe(Math.floor(api.clock.now() / 1000) + 60);
    expect(await locked.json()).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', message: expect.any(String) });
    api.clock.advanceSeconds(60);
    const after = await api.request('POST', '/api/login', {
      body: {
        username: input.username,
        password: input.password,
      },
    });
    expect(after.status).toBe(200);
  });

  it('ignores X-Forwarded-For unless a trusted proxy is configured', async () => {
    const { input } = await register();
    for (let i = 0; i < 5; i++) {
      await api.request('POST', '/api/login', {
        body: { username: input.username, password: 'wrong password' },
        headers: {
          'x-forwarded-for': `10.0.0.${i}`,
        },
      });
    }
    const spoofed = await api.request('POST', '/api/login', {
      body: { username: input.username, password: input.password },
      headers: {
        'x-forwarded-for': '10.9.9.9',
      },
    });
    expect(spoofed.status).toBe(429);
  });
});

describe('GET /api/auth/user', () => {
  it('returns the UserAuth of the bearer', async () => {
    const { auth, input } = await register();
    const res = await api.request('GET', '/api/auth/user', {
      headers: { authorization: `Bearer ${auth.token}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ token: auth.token, id: auth.id, user: input.username });
  });

  it('answers 401 without a JWT or with a bad one', async () => {
    for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: 'Basic abc' }] as Record<
      string,
      string
    >[]) {
      const res = await api.request('GET', '/api/auth/user', { headers });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ message: expect.any(String), code: 'UNAUTHENTICATED' });
    }
  });
});

describe('malformed requests', () => {
  it('answers 400 to a body that is not JSON and 415 to another content type', async () => {
    const notJson = await api.request('POST', '/api/login', {
      rawBody: '{"username":',
      headers: {
        'content-type': 'application/json',
      },
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ code: 'INVALID_INPUT' });
    const form = await api.app.request('/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=a&password=b',
    });
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('answers 400 to JSON that is not an object', async () => {
    for (const body of ['[]', '"text"', '42', 'null']) {
      const res = await api.request('POST', '/api/login', { rawBody: body });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'INVALID_INPUT', message: expect.any(String) });
    }
  });

  it('answers 413 to a body over 64 KiB', async () => {
    const res = await api.request('POST', '/api/register', { body: { name: 'x'.repeat(70 * 1024) } });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers 404 JSON for an unknown API path', async () => {
    const res = await api.request('GET', '/api/nothing-here');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('GET /healthz', () => {
  it('answers 200', async () => {
    const res = await api.request('GET', '/healthz');
    expect(res.status).toBe(200);
  });
});
