import { Agent, request } from 'node:http';
import type { LoadItem, LoadSpec, PhaseResult } from './spec.js';

/**
 * Latency at a steady rate (open loop, issue 17). Request i is due at start + i / rate, whatever
 * became of the earlier ones; its latency runs from that due time to the end of its response,
 * so a request that could not go out on time (every socket busy, the event loop late) still
 * counts its wait: coordinated omission corrected. autocannon cannot do this (its `overallRate`
 * still waits per connection), hence this small generator: a keep-alive agent with many
 * sockets, a timer that sends whatever is due.
 */

/** How often the schedule is checked; a late tick counts against the latency, not for it. */
const TICK_MS = 1;

export interface OpenLoopPhase {
  spec: LoadSpec;
  ratePerSecond: number;
  seconds: number;
  /** Prepares the next request (with its current TOTP code); undefined: the pool ran out. */
  next: () => { item: LoadItem; body: string | undefined } | undefined;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export function runOpenLoopPhase({
  spec,
  ratePerSecond,
  seconds,
  next,
}: OpenLoopPhase): Promise<PhaseResult> {
  const url = new URL(spec.url);
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const total = spec.requestsPerPhase ?? Math.max(1, Math.round(ratePerSecond * seconds));
  const intervalMs = 1000 / ratePerSecond;
  const timeoutMs = (spec.timeoutSeconds ?? 10) * 1000;
  const latencies: number[] = [];
  const failuresByStatus: Record<string, number> = {};
  let successes = 0;
  let failures = 0;
  let sent = 0;
  let settled = 0;
  let exhausted = false;
  const fail = (status: number) => {
    failures += 1;
    failuresByStatus[String(status)] = (failuresByStatus[String(status)] ?? 0) + 1;
  };

  return new Promise((resolve) => {
    const start = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const finishIfDone = () => {
      if (settled < sent || (sent < total && !exhausted)) return;
      if (timer) clearInterval(timer);
      agent.destroy();
      const elapsedSeconds = (performance.now() - start) / 1000;
      const sorted = Float64Array.from(latencies).sort();
      const requests = successes + failures;
      resolve({
        requests,
        successes,
        failures,
        failuresByStatus,
        elapsedSeconds,
        rps: requests / elapsedSeconds,
        latencyMs: {
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          p999: percentile(sorted, 99.9),
          mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
          max: sorted[sorted.length - 1] ?? 0,
        },
        exhausted,
        offeredRps: ratePerSecond,
      });
    };
    const sendOne = (dueAt: number) => {
      const prepared = next();
      if (!prepared) {
        exhausted = true;
        return;
      }
      sent += 1;
      let isSettled = false;
      const settle = (status: number, isSuccess: boolean) => {
        if (isSettled) return;
        isSettled = true;
        settled += 1;
        latencies.push(performance.now() - dueAt);
        if (isSuccess) successes += 1;
        else fail(status);
        finishIfDone();
      };
      const { headers, body } = { headers: prepared.item.headers ?? {}, body: prepared.body };
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: spec.method,
          path: spec.path,
          headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const expect = spec.expect;
            const status = res.statusCode ?? 0;
            const isSuccess =
              status === expect.status &&
              (expect.header === undefined || res.headers[expect.header] !== undefined) &&
              (expect.bodyIncludes === undefined ||
                Buffer.concat(chunks).toString('utf8').includes(expect.bodyIncludes));
            settle(status, isSuccess);
          });
          res.on('error', () => settle(0, false));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => settle(0, false));
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && !exhausted) {
        const dueAt = start + sent * intervalMs;
        if (dueAt > now) break;
        sendOne(dueAt);
      }
      finishIfDone();
    };
    timer = setInterval(tick, TICK_MS);
    tick();
  });
}
