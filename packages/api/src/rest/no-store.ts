import type { MiddlewareHandler } from 'hono';

const NO_STORE = 'no-store';

/**
 * `Cache-Control: no-store` on every answer, errors included: API bodies hold tokens, secrets
 * and codes that no browser or proxy cache may keep (docs/contract.md § Conventions).
 *
 * Set before the handler runs, so a response built by `c.json`/`c.body` carries it from the
 * start: a header set after the response exists makes Hono copy the response, and
 * `@hono/node-server` then build a full web `Response` and stream its body (~5 % of a
 * login's CPU, BENCHMARKS.md § Performance round 2). A response a handler builds itself (the
 * tRPC adapter's) does not take prepared headers: it gets the header afterwards, as before.
 */
export const noStore: MiddlewareHandler = async (c, next) => {
  c.header('Cache-Control', NO_STORE);
  await next();
  if (c.res.headers.get('Cache-Control') !== NO_STORE) c.header('Cache-Control', NO_STORE);
};
