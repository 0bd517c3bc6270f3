import type { Context } from 'hono';

/**
 * The `route` label of a request: the route template Hono matched (`/api/user/mfa/reset/:user-id`),
 * or for tRPC the procedure path when the router knows it. Never the raw path: it can carry
 * reset tokens and user ids (docs/contract.md § Precise rules), and every distinct value
 * would be a new time series.
 */
export function routeLabelOf(c: Context, procedures: ReadonlySet<string>): string {
  const template = c.req.routePath;
  if (template !== '/trpc/*') return template;
  const called = c.req.path.slice('/trpc/'.length);
  if (procedures.has(called)) return `/trpc/${called}`;
  if (called.includes(',') && called.split(',').every((name) => procedures.has(name))) return '/trpc/(batch)';
  return template;
}
