/**
 * Invariant (docs/contract.md § Required MFA): with REQUIRE_MFA=all, a user without a second
 * factor reaches nothing but enrolment, over REST and tRPC on the real server, after a grace
 * period that counts from the first start with the requirement.
 */
import { ManualClock } from '@twofold/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const user = (tag: string) => ({
  name: `User ${tag}`,
  email: `${tag}@example.test`,
  username: tag,
  password: `correct horse ${tag}`,
});

describe('REQUIRE_MFA=all on the running server', () => {
  it('restricts a new user to enrolment on REST and tRPC, and says so at login', async () => {
    server = await startTestServer({ env: { REQUIRE_MFA: 'all' } });
    const { url } = server;
    const registered = await request(url, 'POST', '/api/register', { body: user('restricted') });
    expect(registered.status).toBe(200);
    expect(registered.json).toMatchObject({ mfa_enrollment_required: true });
    const login = await request(url, 'POST', '/api/login', {
      body: { username: 'restricted', password: 'correct horse restricted' },
    });
    expect(login.json).toMatchObject({ mfa_enrollment_required: true });
    const { token } = login.json as { token: string };

    const events = await request(url, 'GET', '/api/user/security-events', { token });
    expect(events.status).toBe(403);
    expect(events.json).toMatchObject({ code: 'MFA_ENROLLMENT_REQUIRED' });
    const trpcEvents = await request(url, 'GET', '/trpc/user.securityEvents', { unchecked: true, token });
    expect(trpcEvents.status).toBe(403);
    expect(trpcEvents.json).toMatchObject({ error: { data: { appCode: 'MFA_ENROLLMENT_REQUIRED' } } });
    const password = await request(url, 'PATCH', '/api/users', {
      token,
      body: { password: 'attacker chosen 1', current_password: 'correct horse restricted' },
    });
    expect(password.status).toBe(403);

    expect((await request(url, 'GET', '/api/auth/user', { token })).status).toBe(200);
    const recoveryEmail = await request(url, 'PATCH', '/api/users', {
      token,
      body: { recovery_email: 'backup@example.test' },
    });
    expect(recoveryEmail.status).toBe(200);
    expect((await request(url, 'GET', '/api/user/mfa/generate', { token })).status).toBe(200);
  });
});

describe('REQUIRE_MFA_GRACE_DAYS on the running server', () => {
  it('lets users who existed at the first start work for that many days, then restricts them', async () => {
    const clock = new ManualClock();
    const startMs = clock.now();
    server = await startTestServer({ clock, env: { REQUIRE_MFA: 'all', REQUIRE_MFA_GRACE_DAYS: '2' } });
    const { url } = server;
    // An account made before the requirement began (the clock stands just before the start).
    clock.set(startMs - 60_000);
    expect((await request(url, 'POST', '/api/register', { body: user('early') })).status).toBe(200);
    clock.set(startMs + 3600_000);
    const login = async () =>
      (
        await request(url, 'POST', '/api/login', {
          body: { username: 'early', password: 'correct horse early' },
        })
      ).json as { token: string } & Record<string, unknown>;
    const inGrace = await login();
    expect(inGrace).toMatchObject({
      mfa_enrollment_required: false,
      mfa_enrollment_days_left: 2,
      mfa_enrollment_due_at_seconds: Math.floor(startMs / 1000) + 2 * 24 * 3600,
    });
    expect((await request(url, 'GET', '/api/user/security-events', { token: inGrace.token })).status).toBe(
      200,
    );
    clock.set(startMs + 2 * 24 * 3600_000);
    const late = await login();
    expect(late).toMatchObject({ mfa_enrollment_required: true });
    const refused = await request(url, 'GET', '/api/user/security-events', { token: late.token });
    expect(refused.status).toBe(403);
  });
});
