// Invariant: when the disk is full (SQLite cannot grow the file), writes answer 503 with a message over REST and tRPC, nothing half-written remains, the fault is logged without request data, and the service recovers once there is room again.
import { sqliteDbOf } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Listening, listenApi } from '../fuzz/listen.js';

let api: Listening;
beforeAll(async () => {
  api = await listenApi();
});
afterAll(() => api.close());

const post = (path: string, body: unknown) =>
  fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const register = (i: number) =>
  post('/api/register', {
    name: `Full ${i}`,
    email: `full${i}@example.test`,
    username: `full${i}`,
    password: 'long enough password',
  });

describe('disk full', () => {
  it('503 while the database cannot grow, then back to normal', async () => {
    const sqlite = sqliteDbOf(api.t.core).$client;
    const usersBefore = () => (sqlite.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
    // The file may not grow past its current size: the next page it needs makes SQLITE_FULL.
    const pages = sqlite.pragma('page_count', { simple: true }) as number;
    sqlite.pragma(`max_page_count = ${pages}`);

    let full: Response | undefined;
    let i = 0;
    for (; i < 40 && !full; i++) {
      const res = await register(i);
      if (res.status === 503) full = res;
      else expect(res.status).toBe(200);
    }
    expect(full, 'the database never filled up').toBeDefined();
    expect(await full!.json()).toEqual({ message: expect.stringMatching(/\w/), code: 'SERVICE_UNAVAILABLE' });
    const stored = usersBefore();

    const trpc = await post('/trpc/auth.register', {
      name: 'Full',
      email: 'full-trpc@example.test',
      username: 'full-trpc',
      password: 'long enough password',
    });
    expect(trpc.status).toBe(503);
    expect(await trpc.json()).toMatchObject({ error: { data: { appCode: 'SERVICE_UNAVAILABLE' } } });
    // All or nothing: the failed registrations left no user behind.
    expect(usersBefore()).toBe(stored);
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    const faults = api.logs.filter((line) => line.includes('storage_unavailable'));
    expect(faults.length).toBeGreaterThan(0);
    expect(faults.join('\n')).toContain('SQLITE_FULL');
    expect(faults.join('\n')).not.toContain('long enough password');

    sqlite.pragma('max_page_count = 1073741823');
    expect((await register(i + 1)).status).toBe(200);
    expect(usersBefore()).toBe(stored + 1);
  });
});
