// Invariant: whatever input, batching, method, headers or content type a client sends to any tRPC procedure, the answer is a success or a 4xx JSON error carrying `message` and the domain `appCode` — never a 5xx, a hang, or a crash.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appRouter } from '../../src/index.js';
import { bodyArb, contentTypeArb, headersArb, nastyString, percentEncode, sometimes } from './arbitraries.js';
import {
  expectTrpcAnswer,
  FUZZ_RUNS,
  type FuzzRequest,
  send,
  setUpFuzzSuite,
  TEST_TIMEOUT_MS,
} from './harness.js';

interface ProcedureDef {
  _def: { type: 'query' | 'mutation' | 'subscription'; inputs?: unknown[] };
}
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, ProcedureDef>).map(
  ([path, procedure]) => ({ path, type: procedure._def.type, keys: inputKeysOf(procedure) }),
);

function inputKeysOf(procedure: ProcedureDef): string[] {
  const [input] = procedure._def.inputs ?? [];
  const shape = (input as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

const suite = setUpFuzzSuite('/trpc/auth.register', 'tRPC fuzz');

function requestArb(path: string, type: string, keys: string[]): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      asQuery: fc.oneof(
        { weight: 9, arbitrary: fc.constant(type === 'query') },
        { weight: 1, arbitrary: fc.boolean() },
      ),
      batch: fc.oneof(
        { weight: 4, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
      body: bodyArb(keys),
      headers: headersArb(() => suite.token),
      contentType: fc.option(contentTypeArb, { freq: 10 }),
      rawQuery: sometimes(nastyString, 8),
    })
    .map(({ asQuery, batch, body, headers, contentType, rawQuery }) => {
      const text =
        body.kind === 'json'
          ? JSON.stringify(batch ? { 0: body.value } : body.value)
          : body.kind === 'raw'
            ? body.text
            : undefined;
      const all = { ...headers };
      if (contentType !== null) all['content-type'] = contentType;
      const target = `/trpc/${path}${batch ? `?batch=1` : ''}`;
      if (asQuery) {
        const input = rawQuery ?? text;
        const sep = batch ? '&' : '?';
        return {
          method: 'GET',
          path: input === undefined ? target : `${target}${sep}input=${percentEncode(input)}`,
          headers: all,
        };
      }
      return { method: 'POST', path: target, headers: all, ...(text !== undefined ? { body: text } : {}) };
    });
}

describe('tRPC fuzz over every procedure', () => {
  it('finds the procedures', () => {
    expect(procedures.map((p) => p.path)).toContain('auth.login');
  });

  it.each(procedures)(
    '$type $path',
    async ({ path, type, keys }) => {
      await fc.assert(
        fc.asyncProperty(requestArb(path, type, keys), async (req) => {
          const answer = await send(suite.api.url, req);
          suite.tally.add(`trpc ${path}`, answer.status);
          expectTrpcAnswer(req, answer);
        }),
        { numRuns: FUZZ_RUNS },
      );
      expect((await send(suite.api.url, { method: 'GET', path: '/healthz', headers: {} })).status).toBe(200);
      expect(suite.api.logs.filter((line) => line.includes('unhandled_error'))).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
