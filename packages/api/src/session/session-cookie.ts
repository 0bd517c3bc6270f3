import { SESSION_TTL_SECONDS } from '@twofold/core';

/**
 * Browser sessions: the web app never holds the JWT in script-readable storage. The server
 * keeps it in an HttpOnly cookie; every other client keeps using `Authorization: Bearer`.
 */
export const SESSION_COOKIE_NAME = 'twofold_session';
/** `__Host-` pins the cookie to this origin over HTTPS (no Domain, Path=/, Secure). */
export const SECURE_SESSION_COOKIE_NAME = '__Host-twofold_session';
/** A header a cross-site form cannot send: required on state changes authenticated by cookie. */
export const CSRF_HEADER = 'x-twofold-csrf';
/** Sent by the web app: put the session in the cookie and leave the token out of the body. */
export const SESSION_MODE_HEADER = 'x-twofold-session';

export interface SessionCookieOptions {
  /** Add `Secure` (and the `__Host-` prefix): PUBLIC_URL is https. */
  secure: boolean;
}

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

function sessionCookieNameOf(options: SessionCookieOptions): string {
  return options.secure ? SECURE_SESSION_COOKIE_NAME : SESSION_COOKIE_NAME;
}

/** The value of one cookie in a `Cookie` request header (first occurrence wins). */
export function readCookie(cookieHeader: string | null | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const pair of cookieHeader.split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0) continue;
    if (pair.slice(0, separator).trim() !== name) continue;
    const value = pair.slice(separator + 1).trim();
    return value === '' ? undefined : value;
  }
  return undefined;
}

export function credentialsOf(headers: Headers, options: SessionCookieOptions): PresentedCredentials {
  const hasCsrfHeader = headers.get(CSRF_HEADER) === '1';
  const bearer = bearerTokenOf(headers.get('authorization'));
  if (bearer) return { sessionToken: bearer, sessionSource: 'bearer', hasCsrfHeader };
  const cookie = readCookie(headers.get('cookie'), sessionCookieNameOf(options));
  if (cookie) return { sessionToken: cookie, sessionSource: 'cookie', hasCsrfHeader };
  return { sessionToken: undefined, sessionSource: undefined, hasCsrfHeader };
}

export function isCookieSessionRequested(headers: Headers): boolean {
  return headers.get(SESSION_MODE_HEADER) === 'cookie';
}

function serialize(
  name: string,
  value: string,
  maxAgeSeconds: number,
  options: SessionCookieOptions,
): string {
  const attributes = [
    `${name}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeSeconds}`,
  ];
  if (options.secure) attributes.push('Secure');
  return attributes.join('; ');
}

/** The cookie lives as long as the JWT inside it. */
export function serializeSessionCookie(token: string, options: SessionCookieOptions): string {
  return serialize(sessionCookieNameOf(options), token, SESSION_TTL_SECONDS, options);
}

export function serializeClearedSessionCookie(options: SessionCookieOptions): string {
  return serialize(sessionCookieNameOf(options), '', 0, options);
}
