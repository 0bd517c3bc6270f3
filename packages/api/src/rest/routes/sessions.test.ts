import { createUser } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiTestbed, openApiTestbed } from '../../../test/api-testbed.js';

let t: ApiTestbed;
beforeEach(async () => {
  t = await openApiTestbed();
});
afterEach(() => t.close());

const PATH = '/api/user/sessions';

interface Listed {
  sessions: Array<{ id: string; isCurrent: boolean; method: string; clientAddress: string }>;
}

async function loginAgain(input: { username: string; password: string }) {
  const response = await t.app.request('/api/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'TestBrowser/1.0' },
    body: JSON.stringify({ username: input.username, password: input.password }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

describe('/api/user/sessions', () => {
  it('lists the sessions (current marked), ends one, then all others', async () => {
    const { input, auth } = await createUser(t.core);
    t.clock.advanceSeconds(1);
    const second = await loginAgain(input);
    t.clock.advanceSeconds(1);
    const third = await loginAgain(input);
    const listed = (await (await t.request('GET', PATH, { token: third })).json()) as Listed;
    expect(listed.sessions.map((s) => [s.method, s.isCurrent])).toEqual([
      ['password', true],
      ['password', false],
      ['registration', false],
    ]);
    expect(listed.sessions[0]).toMatchObject({ userAgent: 'TestBrowser/1.0' });

    const idOfSecond = listed.sessions[1]?.id ?? '';
    const ended = await t.request('DELETE', `${PATH}/${idOfSecond}`, { token: third });
    expect(ended.status).toBe(200);
    expect(await ended.text()).toBe('');
    expect((await t.request('GET', '/api/auth/user', { token: second })).status).toBe(401);
    const again = await t.request('DELETE', `${PATH}/${idOfSecond}`, { token: third });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ code: 'SESSION_NOT_FOUND' });

    const others = await t.request('DELETE', PATH, { token: third });
    expect(await others.json()).toEqual({ ended: 1 });
    expect((await t.request('GET', '/api/auth/user', { token: auth.token })).status).toBe(401);
    expect((await t.request('GET', '/api/auth/user', { token: third })).status).toBe(200);
  });

  it('need a session', async () => {
    expect((await t.request('GET', PATH)).status).toBe(401);
    expect((await t.request('DELETE', `${PATH}/x`)).status).toBe(401);
  });
});

describe('POST /api/logout', () => {
  it('ends the session server-side: the token is refused from then on, others stay', async () => {
    const { input, auth } = await createUser(t.core);
    const other = await loginAgain(input);
    const response = await t.request('POST', '/api/logout', { token: auth.token });
    expect(response.status).toBe(200);
    expect((await t.request('GET', '/api/auth/user', { token: auth.token })).status).toBe(401);
    expect((await t.request('GET', '/api/auth/user', { token: other })).status).toBe(200);
  });

  it('answers 200 without a session or with a dead one', async () => {
    expect((await t.request('POST', '/api/logout')).status).toBe(200);
    expect((await t.request('POST', '/api/logout', { token: 'not-a-jwt' })).status).toBe(200);
  });
});
