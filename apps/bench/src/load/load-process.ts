import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { decodeBase32, timeStepAt, totpCodeAt } from '../totp-code.js';
import { runOpenLoopPhase } from './open-loop.js';
import type { LoadItem, LoadMessage, LoadResult, LoadSpec, PhaseResult } from './spec.js';

/**
 * The load generator: a process of its own (pinned to the other core than the server),
 * driven by a spec file. It prepares each request just before sending it, so TOTP codes
 * are current whatever the setup took.
 */
const CODE_PLACEHOLDER = '{{code}}';
const DEFAULT_TIMEOUT_SECONDS = 10;

function send(message: LoadMessage): void {
  process.send?.(message);
}

/** Per-connection context: marks the request sent after the pool ran out. */
interface SpareMark {
  isSpare?: boolean;
}

interface Counters {
  successes: number;
  failures: number;
  failuresByStatus: Record<string, number>;
  exhausted: boolean;
}

const newCounters = (): Counters => ({ successes: 0, failures: 0, failuresByStatus: {}, exhausted: false });

function countFailure(counters: Counters, status: number): void {
  counters.failures += 1;
  const key = String(status);
  counters.failuresByStatus[key] = (counters.failuresByStatus[key] ?? 0) + 1;
}

/** The item's body with `{{code}}` filled in with its user's current TOTP code. */
function bodyOf(item: LoadItem, keys: Map<string, Buffer>): string | undefined {
  if (item.body === undefined || item.totpSecret === undefined) return item.body;
  let key = keys.get(item.totpSecret);
  if (!key) {
    key = decodeBase32(item.totpSecret);
    keys.set(item.totpSecret, key);
  }
  return item.body.replace(CODE_PLACEHOLDER, totpCodeAt(key, timeStepAt(Date.now())));
}

async function runPhase(
  spec: LoadSpec,
  seconds: number,
  next: () => LoadItem | undefined,
): Promise<PhaseResult> {
  const counters = newCounters();
  const keys = new Map<string, Buffer>();
  const started = Date.now();
  let stop: (() => void) | undefined;
  // Without a callback autocannon returns its tracker, which is both a promise and stoppable.
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    ...(spec.requestsPerPhase === undefined ? { duration: seconds } : { amount: spec.requestsPerPhase }),
    timeout: spec.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    requests: [
      {
        method: spec.method,
        path: spec.path,
        setupRequest: (request, context) => {
          const item = next();
          // autocannon cannot skip a request: the one sent after the pool ran out is marked and not counted.
          (context as SpareMark).isSpare = item === undefined;
          if (!item) {
            counters.exhausted = true;
            stop?.();
            return request;
          }
          return { ...request, headers: { ...request.headers, ...item.headers }, body: bodyOf(item, keys) };
        },
        onResponse: (status, body, context, headers) => {
          if ((context as SpareMark).isSpare) return;
          const expect = spec.expect;
          const isSuccess =
            status === expect.status &&
            (expect.header === undefined || headers?.[expect.header] !== undefined) &&
            (expect.bodyIncludes === undefined || body.includes(expect.bodyIncludes));
          if (isSuccess) counters.successes += 1;
          else countFailure(counters, status);
        },
      },
    ],
  }) as unknown as Promise<autocannon.Result> & { stop(): void };
  stop = () => instance.stop();
  const result = await instance;
  const elapsedSeconds = (Date.now() - started) / 1000;
  // Socket errors and timeouts never reach onResponse.
  const lost = result.errors + result.timeouts;
  if (lost > 0) {
    counters.failures += lost;
    counters.failuresByStatus['0'] = (counters.failuresByStatus['0'] ?? 0) + lost;
  }
  const requests = counters.successes + counters.failures;
  return {
    requests,
    successes: counters.successes,
    failures: counters.failures,
    failuresByStatus: counters.failuresByStatus,
    elapsedSeconds,
    rps: requests / elapsedSeconds,
    latencyMs: {
      p50: result.latency.p50,
      p99: result.latency.p99,
      p999: result.latency.p99_9,
      mean: result.latency.average,
      max: result.latency.max,
    },
    exhausted: counters.exhausted,
  };
}

async function main(): Promise<void> {
  const specFile = process.argv[2];
  if (!specFile) throw new Error('usage: load-process <spec.json>');
  const spec = JSON.parse(readFileSync(specFile, 'utf8')) as LoadSpec;
  let index = 0;
  let limit = spec.warmupItems ?? spec.items.length;
  const next = (): LoadItem | undefined => {
    if (spec.mode === 'cycle') return spec.items[index++ % spec.items.length];
    if (index >= limit) return undefined;
    return spec.items[index++];
  };
  const keys = new Map<string, Buffer>();
  const phase = (seconds: number): Promise<PhaseResult> => {
    const rate = spec.openLoopRate;
    if (rate === undefined) return runPhase(spec, seconds, next);
    return runOpenLoopPhase({
      spec,
      ratePerSecond: rate,
      seconds,
      next: () => {
        const item = next();
        return item && { item, body: bodyOf(item, keys) };
      },
    });
  };
  const warmup = spec.warmupSeconds > 0 ? await phase(spec.warmupSeconds) : undefined;
  limit = spec.items.length;
  index = Math.max(index, spec.warmupItems ?? 0);
  send({ type: 'window-start' });
  const window = await phase(spec.durationSeconds);
  send({ type: 'window-end' });
  const result: LoadResult = { warmup, window, itemsUsed: Math.min(index, spec.items.length) };
  send({ type: 'done', result });
  process.disconnect?.();
}

main().catch((error: unknown) => {
  console.error('load process failed:', error);
  process.exit(1);
});
