import { afterAll, beforeAll, expect } from 'vitest';
import { type Listening, listenApi } from './listen.js';

/**
 * Cases per route and store: 100 in `pnpm test` (each store draws its own, so 200 a route in
 * all), 10 000 in `pnpm fuzz` (FUZZ_RUNS).
 */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 100);
/** A request answered slower than this counts as a hang. */
const REQUEST_TIMEOUT_MS = 15_000;
// Generous: a case that registers or generates spends several argon2 hashes.
export const TEST_TIMEOUT_MS = 120_000 + FUZZ_RUNS * 200;

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Answer {
  status: number;
  json: unknown;
  text: string;
}

export async function send(baseUrl: string, req: FuzzRequest): Promise<Answer> {
  const hasBody = req.body !== undefined && req.method !== 'GET' && req.method !== 'HEAD';
  const response = await fetch(`${baseUrl}${req.path}`, {
    method: req.method,
    headers: req.headers,
    ...(hasBody ? { body: req.body } : {}),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

/** Tally of statuses per target, printed at the end of a run. */
/** What one fuzz suite runs against; its fields are set before the suite's first test. */
export interface FuzzSuite {
  api: Listening;
  /** The session token of the one account the suite's protected routes run as. */
  token: string;
  tally: Tally;
}

/**
 * The hooks both fuzz suites share: a listening API and an account registered over the suite's
 * own transport (`registerPath`) before the tests, the tally printed and the API closed after.
 */
export function setUpFuzzSuite(
  registerPath: '/api/register' | '/trpc/auth.register',
  label: string,
): FuzzSuite {
  const suite = { token: '', tally: new Tally() } as FuzzSuite;
  beforeAll(async () => {
    suite.api = await listenApi();
    const res = await send(suite.api.url, {
      method: 'POST',
      path: registerPath,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Fuzz',
        email: 'fuzz@example.test',
        username: 'fuzzer',
        password: 'fuzzing-password',
      }),
    });
    const body = res.json as { token?: string; result?: { data: { token: string } } };
    const token = body.token ?? body.result?.data.token;
    if (!token) throw new Error(`register for the fuzz suite: ${res.status} ${res.text.slice(0, 200)}`);
    suite.token = token;
  });
  afterAll(async () => {
    suite.tally.print(
      `${label} (${FUZZ_RUNS} per ${registerPath === '/api/register' ? 'route' : 'procedure'})`,
    );
    await suite.api.close();
  });
  return suite;
}

class Tally {
  readonly byTarget = new Map<string, Map<number, number>>();
  add(target: string, status: number) {
    const counts = this.byTarget.get(target) ?? new Map<number, number>();
    counts.set(status, (counts.get(status) ?? 0) + 1);
    this.byTarget.set(target, counts);
  }
  total(): number {
    let sum = 0;
    for (const counts of this.byTarget.values()) for (const n of counts.values()) sum += n;
    return sum;
  }
  print(title: string) {
    const lines = [...this.byTarget].map(([target, counts]) => {
      const n = [...counts.values()].reduce((a, b) => a + b, 0);
      const statuses = [...counts].sort(([a], [b]) => a - b).map(([s, c]) => `${s}×${c}`);
      return `  ${target.padEnd(44)} ${String(n).padStart(6)} cases  ${statuses.join(' ')}`;
    });
    console.log(
      `${title}: ${this.total()} cases over ${this.byTarget.size} targets, 0 failures\n${lines.join('\n')}`,
    );
  }
}

/** What a failed expectation prints: the request and the start of the answer. */
function contextOf(req: FuzzRequest, answer: Answer) {
  return {
    method: req.method,
    path: req.path.slice(0, 120),
    status: answer.status,
    body: answer.text.slice(0, 200),
  };
}

/** The REST envelope: 2xx, or a 4xx `{ message, code }` with an UPPER_SNAKE code. Never 5xx. */
export function expectRestAnswer(req: FuzzRequest, answer: Answer) {
  const context = contextOf(req, answer);
  expect(answer.status, JSON.stringify(context)).toBeLessThan(500);
  if (answer.status >= 400) {
    const body = answer.json as { message?: unknown; code?: unknown } | undefined;
    expect(typeof body?.message, JSON.stringify(context)).toBe('string');
    expect(body?.code, JSON.stringify(context)).toMatch(/^[A-Z_]+$/);
  }
}

interface TrpcError {
  error?: { message?: unknown; code?: unknown; data?: { appCode?: unknown; httpStatus?: unknown } };
}

/** tRPC: 2xx, or a 4xx error envelope with `message` and the domain `data.appCode` (batches: every item). */
export function expectTrpcAnswer(req: FuzzRequest, answer: Answer) {
  const context = contextOf(req, answer);
  expect(answer.status, JSON.stringify(context)).toBeLessThan(500);
  if (answer.status < 400) return;
  const items = (Array.isArray(answer.json) ? answer.json : [answer.json]) as (TrpcError | undefined)[];
  const errors = items.filter((item) => item?.error !== undefined);
  expect(errors.length, JSON.stringify(context)).toBeGreaterThan(0);
  for (const item of errors) {
    expect(typeof item?.error?.message, JSON.stringify(context)).toBe('string');
    expect(item?.error?.data?.appCode, JSON.stringify(context)).toMatch(/^[A-Z_]+$/);
  }
}
