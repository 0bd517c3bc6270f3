import type { Context, MiddlewareHandler } from 'hono';

/** Calls in a tRPC request, counted as @trpc/server does: `?batch=1` and comma-separated paths. */
function trpcCallCount(url: string, endpoint: string): number {
  const { pathname, searchParams } = new URL(url);
  if (searchParams.get('batch') !== '1') return 1;
  const encoded = pathname.slice(endpoint.length + 1);
  let path = encoded;
  try {
    path = decodeURIComponent(encoded);
  } catch {
    // tRPC refuses an undecodable path itself; count what is there.
  }
  return path.split(',').length;
}

/**
 * Refuses a tRPC batch of more than `maxCalls` before any call runs (docs/contract.md §
 * Bounded work: 413, like an oversized body). tRPC's own `maxBatchSize` answers 400, so it
 * stays behind this as a backstop only.
 */
export function trpcBatchLimit(
  endpoint: string,
  maxCalls: number,
  onError: (c: Context) => Response | Promise<Response>,
): MiddlewareHandler {
  return (c, next) => (trpcCallCount(c.req.url, endpoint) > maxCalls ? Promise.resolve(onError(c)) : next());
}
