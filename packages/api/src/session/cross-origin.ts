import { SESSION_MODE_HEADER } from './session-cookie.js';

/** Browsers say where a request comes from here; no script can set a `Sec-` header. */
const FETCH_SITE_HEADER = 'sec-fetch-site';
const OTHER_ORIGIN_SITES = new Set(['same-site', 'cross-site']);

/**
 * Whether a browser sent this request from another origin (docs/contract.md § Cross-origin
 * requests): `Sec-Fetch-Site: same-site` or `cross-site`, or, from a browser too old to send
 * that header, an `Origin` that is one of the CORS origins (never the app's own, config refuses it).
 */
export function isCrossOriginRequest(headers: Headers, corsOrigins: ReadonlySet<string>): boolean {
  const site = headers.get(FETCH_SITE_HEADER);
  if (site !== null) return OTHER_ORIGIN_SITES.has(site);
  const origin = headers.get('origin');
  return origin !== null && corsOrigins.has(origin);
}

/**
 * The request as the API reads it from another origin: no cookie (session or device) and no
 * request for a cookie session. Cookies never work cross-origin, whatever CORS lets a console
 * read; a bearer token does.
 */
export function withoutCookies(headers: Headers): Headers {
  const stripped = new Headers(headers);
  stripped.delete('cookie');
  stripped.delete(SESSION_MODE_HEADER);
  return stripped;
}
