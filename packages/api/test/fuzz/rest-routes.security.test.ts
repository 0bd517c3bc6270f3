// Invariant: whatever body, headers, path segments, method or content type a client sends to any REST route of the route table, the answer is a success or a 4xx JSON error with `message` and `code` — never a 5xx, a hang, or a crash.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restRoutes } from '../../src/index.js';
import type { RestRoute } from '../../src/rest/route.js';
import {
  bodyArb,
  contentTypeArb,
  headersArb,
  keysOf,
  nastyString,
  percentEncode,
  segmentArb,
  sometimes,
} from './arbitraries.js';
import { expectRestAnswer, FUZZ_RUNS, type FuzzRequest, send, Tally, TEST_TIMEOUT_MS } from './harness.js';
import { type Listening, listenApi } from './listen.js';

let api: Listening;
let token = '';
const tally = new Tally();

beforeAll(async () => {
  api = await listenApi();
  const res = await send(api.url, {
    method: 'POST',
    path: '/api/register',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Fuzz',
      email: 'fuzz@example.test',
      username: 'fuzzer',
      password: 'fuzzing-password',
    }),
  });
  token = (res.json as { token: string }).token;
});
afterAll(async () => {
  tally.print(`REST fuzz (${FUZZ_RUNS} per route)`);
  await api.close();
});

function requestArb(route: RestRoute): fc.Arbitrary<FuzzRequest> {
  const pathArb = fc
    .tuple(
      fc.array(segmentArb, { minLength: 1, maxLength: 1 }),
      sometimes(segmentArb, 8),
      sometimes(fc.tuple(nastyString, nastyString), 6),
    )
    .map(([[segment], extra, query]) => {
      let path = route.path.replace(/\{[^}]+\}/g, () => segment ?? 'x');
      if (extra !== null) path += `/${extra}`;
      if (query !== null) path += `?${percentEncode(query[0])}=${percentEncode(query[1])}`;
      return path;
    });
  const methodArb = fc.oneof(
    { weight: 9, arbitrary: fc.constant(route.method) },
    { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') },
  );
  return fc
    .record({
      method: methodArb,
      path: pathArb,
      headers: headersArb(() => token),
      contentType: fc.option(contentTypeArb, { freq: 10 }),
      body: bodyArb(keysOf(route.requestBody)),
    })
    .map(({ method, path, headers, contentType, body }) => {
      const all = { ...headers };
      if (contentType !== null) all['content-type'] = contentType;
      const text =
        body.kind === 'json' ? JSON.stringify(body.value) : body.kind === 'raw' ? body.text : undefined;
      return { method, path, headers: all, ...(text !== undefined ? { body: text } : {}) };
    });
}

describe('REST fuzz over the route table', () => {
  it('covers every route of the table', () => {
    expect(restRoutes.length).toBeGreaterThan(0);
  });

  it.each(restRoutes.map((route) => ({ name: `${route.method} ${route.path}`, route })))(
    '$name',
    async ({ name, route }) => {
      await fc.assert(
        fc.asyncProperty(requestArb(route), async (req) => {
          const answer = await send(api.url, req);
          tally.add(name, answer.status);
          expectRestAnswer(req, answer);
        }),
        { numRuns: FUZZ_RUNS },
      );
      // Still alive, and nothing was a fault worth logging.
      expect((await send(api.url, { method: 'GET', path: '/healthz', headers: {} })).status).toBe(200);
      expect(api.logs.filter((line) => line.includes('unhandled_error'))).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
