import { parse, serialize } from 'hono/utils/cookie';

/**
 * One of our cookies: always HttpOnly and SameSite=Strict (sent on the app's own requests only),
 * Secure with its prefixed name over https. Session, device and trusted-device cookies differ
 * only in these fields.
 */
export interface HttpOnlyCookie {
  name: string;
  /** The name over https: `__Host-` needs `Path=/`; a cookie scoped to a transport takes `__Secure-`. */
  secureName: string;
  maxAgeSeconds: number;
}

export interface CookieOptions {
  /** Add `Secure` (and the prefixed name): PUBLIC_URL is https. */
  secure: boolean;
}

function cookieNameOf(cookie: HttpOnlyCookie, options: CookieOptions): string {
  return options.secure ? cookie.secureName : cookie.name;
}

/** The cookie's value in a `Cookie` request header (first occurrence wins), undefined when empty. */
export function readCookie(
  cookieHeader: string | null | undefined,
  cookie: HttpOnlyCookie,
  options: CookieOptions,
): string | undefined {
  if (!cookieHeader) return undefined;
  const name = cookieNameOf(cookie, options);
  const value = parse(cookieHeader, name)[name];
  return value === '' ? undefined : value;
}

/** A `Set-Cookie` value; `maxAgeSeconds: 0` clears it. */
export function serializeCookie(
  cookie: HttpOnlyCookie,
  value: string,
  path: string,
  options: CookieOptions,
  maxAgeSeconds = cookie.maxAgeSeconds,
): string {
  return serialize(cookieNameOf(cookie, options), value, {
    path,
    httpOnly: true,
    sameSite: 'Strict',
    maxAge: maxAgeSeconds,
    secure: options.secure,
  });
}

/** What core needs of a token cookie: the one presented, and a way to keep a new one. */
export interface TokenCookieJar {
  presentedToken: string | undefined;
  keep(token: string): void;
}

export function createTokenCookieJar(
  cookie: HttpOnlyCookie,
  path: string,
  requestHeaders: Headers,
  responseHeaders: Headers,
  options: CookieOptions,
): TokenCookieJar {
  return {
    presentedToken: readCookie(requestHeaders.get('cookie'), cookie, options),
    keep: (token) => responseHeaders.append('set-cookie', serializeCookie(cookie, token, path, options)),
  };
}
