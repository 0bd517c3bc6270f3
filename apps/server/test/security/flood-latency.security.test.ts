// Invariant: a flood of slow-hash requests (recover, reset, login for unknown names) from one client address neither queues without bound nor slows another client's login past 2× its unloaded median: once its share of the hash queue is full the flooder gets 503 with Retry-After.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, spawnServer } from '../support/child-server.js';
import { type AddressClient, clientFrom } from '../support/from-address.js';
import { type HttpResult, isErrorEnvelope, median, registerAccount } from '../support/http.js';

/** Interleaved rounds (unloaded samples, then the same number under the flood), so a
 * neighbour's load on the machine falls on both medians alike. */
const ROUNDS = 6;
const SAMPLES_PER_ROUND = 8;
/** A round stops sampling under load after this long (before the fix, a login took seconds). */
const LOADED_ROUND_BUDGET_MS = 4_000;
/** Requests the flooder keeps in the air at once, in waves. */
const FLOOD_WAVE = 32;

let dataDir: string;
let server: ChildServer;
let victim: AddressClient;
let flooder: AddressClient;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'twofold-flood-'));
  // A separate process, as operators run it: the flood client must not share the server's event loop.
  server = await spawnServer({ DATA_DIR: dataDir });
  victim = clientFrom(server.url, '127.0.0.1', 4);
  flooder = clientFrom(server.url, '127.0.0.2', FLOOD_WAVE);
});
afterAll(async () => {
  victim?.close();
  flooder?.close();
  server?.process.kill('SIGTERM');
  await server?.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

let ghost = 0;
/** One flood request: the endpoints that run the most slow hashes for a name nobody has. */
function floodRequest(i: number): Promise<HttpResult> {
  ghost += 1;
  const name = `ghost${ghost}x${i}`;
  switch (i % 4) {
    case 0:
      return flooder.request('POST', '/api/user/mfa/recover', {
        body: { identifier: name, recovery_code: 'ABCDEFGHIJKLMNOP' },
      });
    case 1:
      return flooder.request('POST', '/api/user/mfa/reset', { body: { identifier: name } });
    case 2:
      return flooder.request('PUT', `/api/user/mfa/reset/${name}`, {
        body: { main_email_code: 'ABCDE', recovery_email_code: 'FGHJK' },
      });
    default:
      return flooder.request('POST', '/api/login', { body: { username: name, password: 'wrong-guess' } });
  }
}

interface Flood {
  /** Resolves at the first answer: the first wave has been read and the queue holds all of it it will take. */
  isQueued: Promise<void>;
  stop(): Promise<void>;
  responses: HttpResult[];
}

/** Waves of FLOOD_WAVE parallel requests, the next as soon as the last answered, until stopped. */
function startFlood(): Flood {
  let isRunning = true;
  const responses: HttpResult[] = [];
  let onFirstAnswer = () => {};
  const isQueued = new Promise<void>((resolve) => {
    onFirstAnswer = resolve;
  });
  const loop = (async () => {
    while (isRunning) {
      const wave = await Promise.all(
        Array.from({ length: FLOOD_WAVE }, (_, i) => floodRequest(i).finally(onFirstAnswer)),
      );
      responses.push(...wave);
    }
  })();
  return {
    isQueued,
    responses,
    async stop() {
      isRunning = false;
      await loop;
    },
  };
}

describe('a slow-hash flood from one address', () => {
  it('keeps another client’s login within 2× of its unloaded median, and the flooder gets 503 + Retry-After', async () => {
    const account = await registerAccount(server.url, 'fl');
    const login = async () => {
      const res = await victim.request('POST', '/api/login', {
        body: { username: account.username, password: account.password },
      });
      expect(res.status).toBe(200);
      return res.ms;
    };
    for (let i = 0; i < 3; i++) await login(); // warm-up

    const unloaded: number[] = [];
    const loaded: number[] = [];
    const floodAnswers: HttpResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < SAMPLES_PER_ROUND; i++) unloaded.push(await login());
      const flood = startFlood();
      await flood.isQueued;
      const started = performance.now();
      for (let i = 0; i < SAMPLES_PER_ROUND; i++) {
        loaded.push(await login());
        if (performance.now() - started > LOADED_ROUND_BUDGET_MS) break;
      }
      await flood.stop();
      floodAnswers.push(...flood.responses);
    }

    const unloadedMedian = median(unloaded);
    const loadedMedian = median(loaded);
    const summary = `unloaded median ${unloadedMedian.toFixed(0)} ms (${unloaded.length}), loaded ${loadedMedian.toFixed(0)} ms (${loaded.length})`;
    expect(loadedMedian, summary).toBeLessThanOrEqual(2 * unloadedMedian);

    const refused = floodAnswers.filter((r) => r.status === 503);
    expect(
      refused.length,
      `statuses: ${[...new Set(floodAnswers.map((r) => r.status))].join(',')}`,
    ).toBeGreaterThan(0);
    for (const res of refused) {
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(isErrorEnvelope(res.json)).toBe(true);
    }
    // A 503 never waits in the queue: refusals come back before the admitted requests do.
    const admitted = floodAnswers.filter((r) => r.status !== 503);
    expect(median(refused.map((r) => r.ms))).toBeLessThan(median(admitted.map((r) => r.ms)));
    // Nothing else went wrong under the flood (an unknown reset id was 404 before 2026-12-01, 401 since).
    for (const res of floodAnswers) expect([200, 401, 404, 429, 503]).toContain(res.status);
  }, 180_000);
});
