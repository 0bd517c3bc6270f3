// Invariant: /metrics answers only with METRICS_TOKEN set and only to that bearer token (404 when off, 401 otherwise), counts exactly what happened, and its labels are route templates and closed sets, never raw paths, ids, usernames or tokens.
import { randomBytes, randomUUID } from 'node:crypto';
import { ManualClock } from '@twofold/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { registerAccount, request } from '../support/http.js';
import { createMfaUser, mfaTokenOf } from '../support/mfa.js';
import { parsePrometheusText, type Sample, sampleValue } from '../support/prometheus.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { nextCode, wrongTotpAt } from '../support/totp.js';

const TOKEN = randomBytes(24).toString('hex');
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function scrape(url: string): Promise<Sample[]> {
  const res = await request(url, 'GET', '/metrics', { unchecked: true, token: TOKEN });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(res.text).samples;
}

describe('GET /metrics access', () => {
  it('is 404, like any unknown path, without METRICS_TOKEN', async () => {
    server = await startTestServer();
    const res = await request(server.url, 'GET', '/metrics', { unchecked: true, token: TOKEN });
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a missing, wrong, truncated, extended or non-bearer token with 401', async () => {
    server = await startTestServer({ env: { METRICS_TOKEN: TOKEN } });
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token-of-some-length' },
      { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Basic ${Buffer.from(`metrics:${TOKEN}`).toString('base64')}` },
      { authorization: TOKEN },
    ];
    for (const headers of attempts) {
      const res = await request(server.url, 'GET', '/metrics', { unchecked: true, headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.json).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(res.text).not.toContain('twofold_');
    }
    expect((await request(server.url, 'GET', '/metrics', { unchecked: true, token: TOKEN })).status).toBe(
      200,
    );
  });
});

describe('GET /metrics content', () => {
  it('counts a known sequence of requests exactly, by route template and outcome', async () => {
    const clock = new ManualClock(Date.now());
    server = await startTestServer({ clock, env: { METRICS_TOKEN: TOKEN } });
    const { url } = server;
    const plain = await registerAccount(url, 'mp');
    const mfa = await createMfaUser(url, clock, await registerAccount(url, 'mm'));
    const before = await scrape(url);

    // Password logins: 2 successes, 3 wrong passwords, 1 MFA account's first step.
    for (let i = 0; i < 2; i += 1) {
      const ok = await request(url, 'POST', '/api/login', {
        body: { username: plain.username, password: plain.password },
      });
      expect(ok.status).toBe(200);
    }
    for (let i = 0; i < 3; i += 1) {
      const wrong = await request(url, 'POST', '/api/login', {
        body: { username: plain.username, password: 'not the password' },
      });
      expect(wrong.status).toBe(401);
    }
    // One success over tRPC: counted the same, under its procedure path.
    const trpc = await request(url, 'POST', '/trpc/auth.login', {
      unchecked: true,
      body: { username: plain.username, password: plain.password },
    });
    expect(trpc.status).toBe(200);
    const mfaToken = await mfaTokenOf(url, mfa);
    // Second steps: one wrong TOTP, one right.
    const wrongStep = await request(url, 'POST', '/api/user/mfa/auth', {
      body: { token: mfaToken, code: await wrongTotpAt(mfa.secret, clock.now()) },
    });
    expect(wrongStep.status).toBe(401);
    const rightStep = await request(url, 'POST', '/api/user/mfa/auth', {
      body: { token: mfaToken, code: await nextCode(mfa.secret, clock) },
    });
    expect(rightStep.status).toBe(200);
    // A raw path carrying an id and a reset token: neither may become a label.
    const resetId = randomUUID();
    expect(
      (
        await request(url, 'PUT', `/api/user/mfa/reset/${resetId}`, {
          body: { main_email_code: 'AAAAA', recovery_email_code: 'BBBBB' },
        })
      ).status,
    ).toBe(401);
    expect((await request(url, 'GET', `/api/no/such/${resetId}`, { unchecked: true })).status).toBe(404);
    expect((await request(url, 'GET', `/trpc/${resetId}`, { unchecked: true })).status).toBe(404);

    const after = await scrape(url);
    const delta = (name: string, labels: Record<string, string>) =>
      sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(delta('twofold_logins_total', { method: 'password', outcome: 'success' })).toBe(3);
    expect(delta('twofold_logins_total', { method: 'password', outcome: 'invalid_credentials' })).toBe(3);
    expect(delta('twofold_logins_total', { method: 'password', outcome: 'mfa_required' })).toBe(1);
    expect(delta('twofold_second_steps_total', { method: 'totp', outcome: 'success' })).toBe(1);
    expect(delta('twofold_second_steps_total', { method: 'totp', outcome: 'invalid_code' })).toBe(1);
    // The reset with an id that names no live request: a wrong-code answer (docs/contract.md).
    expect(delta('twofold_second_steps_total', { method: 'email_codes', outcome: 'invalid_code' })).toBe(1);
    expect(delta('twofold_http_requests_total', { method: 'POST', route: '/api/login', status: '200' })).toBe(
      2,
    );
    expect(delta('twofold_http_requests_total', { method: 'POST', route: '/api/login', status: '401' })).toBe(
      4,
    );
    expect(
      delta('twofold_http_requests_total', { method: 'POST', route: '/trpc/auth.login', status: '200' }),
    ).toBe(1);
    expect(
      delta('twofold_http_requests_total', {
        method: 'PUT',
        route: '/api/user/mfa/reset/:user-id',
        status: '401',
      }),
    ).toBe(1);
    expect(
      delta('twofold_http_request_duration_seconds_count', { method: 'POST', route: '/api/login' }),
    ).toBe(6);
    for (const name of [
      'twofold_mail_outbox_pending',
      'twofold_mail_outbox_oldest_pending_age_seconds',
      'twofold_slow_hash_queue_running',
      'twofold_slow_hash_queue_waiting',
    ]) {
      expect(after.some((sample) => sample.name === name)).toBe(true);
    }

    // No label value is a raw path, id, username or token.
    const secrets = [resetId, plain.id, mfa.id, plain.username, mfa.username, mfaToken, TOKEN];
    for (const sample of after) {
      for (const value of Object.values(sample.labels)) {
        for (const secret of secrets) expect(value, sample.name).not.toContain(secret);
      }
    }
    const routes = new Set(after.flatMap((sample) => (sample.labels.route ? [sample.labels.route] : [])));
    for (const route of routes) expect(route).toMatch(/^(\/[a-z0-9.:*_()-]*)+$|^\*$/);
  });

  it('counts a lockout refusal once per refused attempt', async () => {
    server = await startTestServer({ env: { METRICS_TOKEN: TOKEN } });
    const { url } = server;
    const account = await registerAccount(url, 'ml');
    const before = await scrape(url);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const res = await request(url, 'POST', '/api/login', {
        body: { username: account.username, password: 'not the password' },
      });
      statuses.push(res.status);
    }
    // docs/contract.md: the 5th failure locks and is still 401; the next ones get 429.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const after = await scrape(url);
    const refused = (samples: Sample[]) =>
      sampleValue(samples, 'twofold_lockouts_total', { procedure: 'auth.login' });
    expect(refused(after) - refused(before)).toBe(2);
    expect(
      sampleValue(after, 'twofold_logins_total', { method: 'password', outcome: 'too_many_attempts' }) -
        sampleValue(before, 'twofold_logins_total', { method: 'password', outcome: 'too_many_attempts' }),
    ).toBe(2);
  });

  it('shows the outbox backlog and counts failed deliveries', async () => {
    const clock = new ManualClock(Date.now());
    // An SMTP port nothing listens on: every attempt fails and is retried.
    const closed = await closedPort();
    server = await startTestServer({
      clock,
      env: { METRICS_TOKEN: TOKEN, SMTP_URL: `smtp://127.0.0.1:${closed}` },
    });
    const { url } = server;
    await createMfaUser(url, clock, await registerAccount(url, 'mo'));
    clock.advanceSeconds(90);
    const samples = await scrape(url);
    expect(sampleValue(samples, 'twofold_mail_outbox_pending')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'twofold_mail_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(90);
    // The worker polls each second (real time); its first attempt fails at once.
    let retries = 0;
    for (let i = 0; i < 50 && retries === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      retries = sampleValue(await scrape(url), 'twofold_mail_failures_total', { outcome: 'retry' });
    }
    expect(retries).toBeGreaterThanOrEqual(1);
  });
});

/** A local port that refuses connections: bound, then closed again. */
async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
