import type { Hono } from 'hono';
import type { RestRoute } from './route.js';

/** `/api/user/mfa/reset/{user-id}` → `/api/user/mfa/reset/:user-id` */
export function toHonoPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1');
}

export type RouteHandler = Parameters<Hono['on']>[2];

export function mountRoutes(
  app: Hono,
  routes: readonly RestRoute[],
  handlerFor: (route: RestRoute) => RouteHandler,
) {
  for (const route of routes) app.on(route.method, toHonoPath(route.path), handlerFor(route));
}
