import type { Handler, Hono } from 'hono';
import { toHonoPath } from './mount.js';

/** The methods each path serves, as `Allow` names them; a GET route also answers HEAD. */
function allowedMethodsByPath(routes: readonly { method: string; path: string }[]): Map<string, string[]> {
  const byPath = new Map<string, string[]>();
  for (const { method, path } of routes) {
    const methods = byPath.get(path) ?? [];
    methods.push(method, ...(method === 'GET' ? ['HEAD'] : []));
    byPath.set(path, methods);
  }
  return byPath;
}

/**
 * A known path asked with another method answers 405 with `Allow` (docs/contract.md
 * § Conventions), not the 404 of an unknown path. Mounted after the routes, so it only sees
 * the methods they do not serve.
 */
export function mountMethodNotAllowed(
  app: Hono,
  routes: readonly { method: string; path: string }[],
  answer: (allow: readonly string[]) => Handler,
) {
  for (const [path, allow] of allowedMethodsByPath(routes)) app.all(toHonoPath(path), answer(allow));
}
