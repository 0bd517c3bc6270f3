import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

/** The response headers a console on another origin must read (docs/contract.md § Cross-origin requests). */
const CORS_EXPOSED_HEADERS = ['X-MFA-Token', 'X-Account-Lockout', 'Retry-After', 'X-Expires-At'];
/** What such a console sends: a bearer token and a JSON body; never the cookie-session headers. */
const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type'];
const CORS_ALLOWED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** Browsers cap it anyway (Chromium at 2 hours); 10 minutes lets a config change reach consoles soon. */
const CORS_MAX_AGE_SECONDS = 600;

/**
 * CORS for the REST API (docs/contract.md § Cross-origin requests): only the configured exact
 * origins get any CORS header, preflights included; credentials are never allowed, so a browser
 * sends no cookie with a request it lets a console read. Every other request passes untouched
 * (a disallowed preflight meets the API's own 405 and no CORS header).
 */
export function corsFor(origins: readonly string[]): MiddlewareHandler {
  const allowed = new Set(origins);
  const handler = cors({
    origin: [...allowed],
    allowMethods: CORS_ALLOWED_METHODS,
    allowHeaders: CORS_ALLOWED_HEADERS,
    exposeHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_MAX_AGE_SECONDS,
    credentials: false,
  });
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin === undefined || !allowed.has(origin)) return next();
    return handler(c, next);
  };
}
