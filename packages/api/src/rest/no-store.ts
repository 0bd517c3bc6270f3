import type { MiddlewareHandler } from 'hono';

/**
 * `Cache-Control: no-store` on every answer, errors included: API bodies hold tokens, secrets
 * and codes that no browser or proxy cache may keep (docs/contract.md § Conventions).
 */
export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
};
