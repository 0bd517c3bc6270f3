// Invariant: whatever body, headers, path segments, method or content type a client sends to any REST route of the route table, the answer is a success or a 4xx JSON error with `message` and `code` — never a 5xx, a hang, or a crash.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
import {
  expectRestAnswer,
  FUZZ_RUNS,
  type FuzzRequest,
  send,
  setUpFuzzSuite,
  TEST_TIMEOUT_MS,
} from './harness.js';

const suite = setUpFuzzSuite('/api/register', 'REST fuzz');

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
      headers: headersArb(() => suite.token),
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
          const answer = await send(suite.api.url, req);
          suite.tally.add(name, answer.status);
          expectRestAnswer(req, answer);
        }),
        { numRuns: FUZZ_RUNS },
      );
      // Still alive, and nothing was a fault worth logging.
      expect((await send(suite.api.url, { method: 'GET', path: '/healthz', headers: {} })).status).toBe(200);
      expect(suite.api.logs.filter((line) => line.includes('unhandled_error'))).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
