// Invariant: a flood of slow-hash requests (recover, reset, login for unknown names) from one client address neither queues without bound nor slows another client's login past 2× its unloaded median: once its share of the hash queue is full the flooder gets 503 with Retry-After.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, spawnServer } from '../support/child-server.js';
import { type AddressClient, clientFrom } from '../support/from-address.js';
import { median, registerAccount } from '../support/http.js';

/** Interleaved rounds (unloaded samples, then the same number under the flood), so a
 * neighbour's load on the machine falls on both medians alike. */
const ROUNDS = 8;
const SAMPLES_PER_ROUND = 8;
/** A round stops sampling under load after this long (before the fix, a login took seconds). */
const LOADED_ROUND_BUDGET_MS = 4_000;
/** Requests the flooder (a process of its own) keeps in the air at once, in waves. */
const FLOOD_WAVE = 32;
/**
 * The other client's logins come at random moments, not in lockstep with the flood's hashes
 * (back to back, each would meet a flood hash that just started): a pause of up to this long
 * before each sample, loaded and unloaded alike.
 */
const MAX_THINK_MS = 40;

let dataDir: string;
let server: ChildServer;
let victim: AddressClient;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'twofold-flood-'));
  // A separate process, as operators run it: the flood client must not share the server's event loop.
  server = await spawnServer({ DATA_DIR: dataDir });
  victim = clientFrom(server.url, '127.0.0.1', 4);
});
afterAll(async () => {
  victim?.close();
  server?.process.kill('SIGTERM');
  await server?.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

/** One answer the flooder got (see support/flood-process.mjs). */
interface FloodAnswer {
  status: number;
  ms: number;
  retryAfter?: string;
  code?: string;
}

const FLOOD_SCRIPT = fileURLToPath(new URL('../support/flood-process.mjs', import.meta.url));

/** Starts the flood in its own process from 127.0.0.2; resolves once its first wave is answered. */
async function startFlood(): Promise<{ stop(): Promise<FloodAnswer[]> }> {
  const child = spawn(process.execPath, [FLOOD_SCRIPT, server.url, '127.0.0.2', String(FLOOD_WAVE)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.startsWith('ready\n')) resolve();
    });
    exited.then(() => reject(new Error(`flood process exited early: ${output}`)));
  });
  return {
    async stop() {
      child.stdin.end();
      await exited;
      return JSON.parse(output.trim().split('\n').at(-1) ?? '[]') as FloodAnswer[];
    },
  };
}

describe('a slow-hash flood from one address', () => {
  it('keeps another client’s login within 2× of its unloaded median, and the flooder gets 503 + Retry-After', async () => {
    const account = await registerAccount(server.url, 'fl');
    const login = async () => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * MAX_THINK_MS));
      const res = await victim.request('POST', '/api/login', {
        body: { username: account.username, password: account.password },
      });
      expect(res.status).toBe(200);
      return res.ms;
    };
    for (let i = 0; i < 3; i++) await login(); // warm-up

    const unloaded: number[] = [];
    const loaded: number[] = [];
    const floodAnswers: FloodAnswer[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < SAMPLES_PER_ROUND; i++) unloaded.push(await login());
      const flood = await startFlood();
      const started = performance.now();
      for (let i = 0; i < SAMPLES_PER_ROUND; i++) {
        loaded.push(await login());
        if (performance.now() - started > LOADED_ROUND_BUDGET_MS) break;
      }
      floodAnswers.push(...(await flood.stop()));
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
      expect(Number(res.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(res.code).toBe('SERVICE_UNAVAILABLE');
    }
    // A 503 never waits in the queue: refusals come back before the admitted requests do.
    const admitted = floodAnswers.filter((r) => r.status !== 503);
    expect(median(refused.map((r) => r.ms))).toBeLessThan(median(admitted.map((r) => r.ms)));
    // Nothing else went wrong under the flood (an unknown reset id was 404 before 2026-12-01, 401 since).
    for (const res of floodAnswers) expect([200, 401, 404, 429, 503]).toContain(res.status);
  }, 180_000);
});
