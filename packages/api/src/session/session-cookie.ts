import { SESSION_TTL_SECONDS } from '@twofold/core';
import { type CookieOptions, type HttpOnlyCookie, readCookie, serializeCookie } from './http-only-cookie.js';

/**
 * Browser sessions: the web app never holds the JWT in script-readable storage. The server
 * keeps it in an HttpOnly cookie; every other client keeps using `Authorization: Bearer`.
 */
export const SESSION_COOKIE: HttpOnlyCookie = {
  name: 'twofold_session',
  /** `__Host-` pins the cookie to this origin over HTTPS (no Domain, Path=/, Secure). */
  secureName: '__Host-twofold_session',
  /** The cookie lives as long as the JWT inside it. */
  maxAgeSeconds: SESSION_TTL_SECONDS,
};
/** A header a cross-site form cannot send: required on state changes authenticated by cookie. */
export const CSRF_HEADER = 'x-twofold-csrf';
/** Sent by the web app: put the session in the cookie and leave the token out of the body. */
export const SESSION_MODE_HEADER = 'x-twofold-session';

export type SessionCookieOptions = CookieOptions;

export type SessionSource = 'bearer' | 'cookie';

export interface PresentedCredentials {
  sessionToken: string | undefined;
  /** Where the token came from; a bearer header wins over a cookie. */
  sessionSource: SessionSource | undefined;
  hasCsrfHeader: boolean;
}

const BEARER = /^Bearer\s+(\S+)$/i;

export function bearerTokenOf(authorization: string | null | undefined): string | undefined {
  if (!authorization) return undefined;
  return BEARER.exec(authorization)?.[1];
}

export function credentialsOf(headers: Headers, options: SessionCookieOptions): PresentedCredentials {
  const hasCsrfHeader = headers.get(CSRF_HEADER) === '1';
  const bearer = bearerTokenOf(headers.get('authorization'));
  if (bearer) return { sessionToken: bearer, sessionSource: 'bearer', hasCsrfHeader };
  const cookie = readCookie(headers.get('cookie'), SESSION_COOKIE, options);
  if (cookie) return { sessionToken: cookie, sessionSource: 'cookie', hasCsrfHeader };
  return { sessionToken: undefined, sessionSource: undefined, hasCsrfHeader };
}

export function isCookieSessionRequested(headers: Headers): boolean {
  return headers.get(SESSION_MODE_HEADER) === 'cookie';
}

export function serializeSessionCookie(token: string, options: SessionCookieOptions): string {
  return serializeCookie(SESSION_COOKIE, token, '/', options);
}

export function serializeClearedSessionCookie(options: SessionCookieOptions): string {
  return serializeCookie(SESSION_COOKIE, '', '/', options, 0);
}
