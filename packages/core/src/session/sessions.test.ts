import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import type { RequestMeta } from '../context.js';
import { listSecurityEvents } from '../events/list.js';
import { purgeExpired } from '../housekeeping/purge-expired.js';
import { recoverWithCode } from '../mfa/recover.js';
import {
  createMfaUser,
  createUser,
  openTestCore,
  type StoreTestCore,
  signWithSessionKey,
  TEST_META,
  testSql,
} from '../testing/index.js';
import { updateUser } from '../users/update.js';
import { LAST_SEEN_RESOLUTION_MS, readSession } from './authenticate.js';
import { endOtherSessions, endSession, logout } from './end.js';
import { SESSION_TTL_SECONDS } from './jwt.js';
import { listSessions } from './list.js';
import { USER_AGENT_MAX_CHARS } from './start.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

async function login(input: { username: string; password: string }, meta: RequestMeta = TEST_META) {
  const result = await loginWithPassword(
    t.core,
    { username: input.username, password: input.password },
    meta,
  );
  if (result.status !== 'authenticated') throw new Error('expected a session');
  return result.auth;
}

const refused = { code: 'UNAUTHENTICATED' };

describe('server-side sessions', () => {
  it('every login creates one, named by the JWT, listed with device, address and method', async () => {
    const { input, auth: registered } = await createUser(t.core);
    const ua = `Mozilla/5.0 ${'x'.repeat(400)}`;
    t.clock.advanceSeconds(5);
    const auth = await login(input, { clientAddress: '203.0.113.9', userAgent: ua });
    const session = await readSession(t.core, auth.token);
    const { sessions } = await listSessions(t.core, { id: session.id, userId: auth.id });
    expect(sessions).toHaveLength(2);
    expect(sessions[0]).toEqual({
      id: session.id,
      isCurrent: true,
      method: 'password',
      userAgent: ua.slice(0, USER_AGENT_MAX_CHARS),
      clientAddress: '203.0.113.9',
      createdAtMs: t.clock.now(),
      lastSeenAtMs: t.clock.now(),
      expiresAtMs: t.clock.now() + SESSION_TTL_SECONDS * 1000,
    });
    expect(sessions[1]).toMatchObject({ isCurrent: false, method: 'registration', userAgent: null });
    expect((await readSession(t.core, registered.token)).id).toBe(sessions[1]?.id);
  });

  it('logout ends only its own session; the token is refused from then on', async () => {
    const { input, auth: first } = await createUser(t.core);
    const second = await login(input);
    await logout(t.core, second.token, TEST_META);
    await expect(readSession(t.core, second.token)).rejects.toMatchObject(refused);
    await expect(readSession(t.core, first.token)).resolves.toMatchObject({ user: { id: first.id } });
    expect((await listSecurityEvents(t.core, first.id)).events[0]?.type).toBe('logged_out');
    // A second logout, or one without a valid token, is no error.
    await logout(t.core, second.token, TEST_META);
    await logout(t.core, 'not-a-jwt', TEST_META);
    await logout(t.core, undefined, TEST_META);
  });

  it('ends one session by id, or all the others', async () => {
    const { input, auth: a } = await createUser(t.core);
    const b = await login(input);
    const c = await login(input);
    const current = await readSession(t.core, a.token);
    const idOfB = (await readSession(t.core, b.token)).id;
    await endSession(t.core, current, { id: idOfB }, TEST_META);
    await expect(readSession(t.core, b.token)).rejects.toMatchObject(refused);
    await expect(endSession(t.core, current, { id: idOfB }, TEST_META)).rejects.toMatchObject({
      code: 'SESSION_NOT_FOUND',
    });
    await expect(readSession(t.core, c.token)).resolves.toBeDefined();
    expect(await endOtherSessions(t.core, current, TEST_META)).toEqual({ ended: 1 });
    await expect(readSession(t.core, c.token)).rejects.toMatchObject(refused);
    await expect(readSession(t.core, a.token)).resolves.toBeDefined();
    const types = (await listSecurityEvents(t.core, a.id)).events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['other_sessions_ended', 'session_ended']);
  });

  it('expire with their JWT after 24 hours, and expired rows go with housekeeping', async () => {
    const { input, auth } = await createUser(t.core);
    t.clock.advanceSeconds(SESSION_TTL_SECONDS);
    await expect(readSession(t.core, auth.token)).rejects.toMatchObject(refused);
    const renewed = await login(input);
    const live = await readSession(t.core, renewed.token);
    // The expired row is still there, but listed no more.
    expect((await listSessions(t.core, { id: live.id, userId: auth.id })).sessions).toHaveLength(1);
    t.clock.advanceSeconds(1);
    await purgeExpired(t.core);
    const rows = await testSql(t.core).all('SELECT id FROM sessions WHERE user_id = ?', auth.id);
    expect(rows).toHaveLength(1);
  });

  it('recover ends every earlier session; a password change every other one and renames its own', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const recovered = await recoverWithCode(
      t.core,
      { identifier: u.input.username, recovery_code: u.recoveryCodes[0] as string },
      TEST_META,
    );
    await expect(readSession(t.core, u.auth.token)).rejects.toMatchObject(refused);
    const other = (
      await recoverWithCode(
        t.core,
        { identifier: u.input.username, recovery_code: u.recoveryCodes[1] as string },
        TEST_META,
      )
    ).auth;
    await expect(readSession(t.core, recovered.auth.token)).rejects.toMatchObject(refused);

    const { input, auth } = await createUser(t.core);
    const elsewhere = await login(input);
    const session = await readSession(t.core, auth.token);
    const changed = await updateUser(
      t.core,
      session,
      { password: 'a brand new password', current_password: input.password },
      TEST_META,
    );
    expect('token' in changed).toBe(true);
    await expect(readSession(t.core, elsewhere.token)).rejects.toMatchObject(refused);
    // The session goes on under a new id: only the token the change answered names it.
    await expect(readSession(t.core, auth.token)).rejects.toMatchObject(refused);
    const { sessions } = await listSessions(t.core, { id: session.id, userId: auth.id });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ method: 'registration', createdAtMs: session.user.createdAtMs });
    if ('token' in changed) {
      await expect(readSession(t.core, changed.token)).resolves.toMatchObject({ id: sessions[0]?.id });
    }
    await expect(readSession(t.core, other.token)).resolves.toBeDefined();
  });

  it('refuse a correctly signed token that names no session (no sid, or an unknown one)', async () => {
    const { auth } = await createUser(t.core);
    const iat = Math.floor(t.clock.now() / 1000);
    for (const claims of [{}, { sid: 'unknown' }, { sid: 42 }]) {
      const token = await signWithSessionKey(t.core, { sub: auth.id, typ: 'session', iat, ...claims });
      await expect(readSession(t.core, token)).rejects.toMatchObject(refused);
    }
  });
});

describe('last seen', () => {
  const lastSeenOf = async (id: string) =>
    Number(
      (
        await testSql(t.core).get<{ last_seen_at_ms: number }>(
          'SELECT last_seen_at_ms FROM sessions WHERE id = ?',
          id,
        )
      )?.last_seen_at_ms,
    );

  it('is written at most once a minute per session', async () => {
    const { auth } = await createUser(t.core);
    const created = t.clock.now();
    const { id } = await readSession(t.core, auth.token);
    t.clock.advanceSeconds(LAST_SEEN_RESOLUTION_MS / 1000 - 1);
    await readSession(t.core, auth.token);
    expect(await lastSeenOf(id)).toBe(created);
    t.clock.advanceSeconds(1);
    const seen = t.clock.now();
    await Promise.all(Array.from({ length: 10 }, () => readSession(t.core, auth.token)));
    expect(await lastSeenOf(id)).toBe(seen);
    t.clock.advanceSeconds(30);
    await readSession(t.core, auth.token);
    expect(await lastSeenOf(id)).toBe(seen);
  });
});
