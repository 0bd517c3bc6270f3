import {
  isCookieSessionRequested,
  type SessionCookieOptions,
  serializeClearedSessionCookie,
  serializeSessionCookie,
} from './session-cookie.js';

/** Lets a procedure set or clear the session cookie on the response it is part of. */
export interface SessionCookieJar {
  /** The client asked for a cookie session (the web app does). */
  isRequested: boolean;
  set(token: string): void;
  clear(): void;
}

export function createSessionCookieJar(
  requestHeaders: Headers,
  responseHeaders: Headers,
  options: SessionCookieOptions,
): SessionCookieJar {
  return {
    isRequested: isCookieSessionRequested(requestHeaders),
    set: (token) => responseHeaders.append('set-cookie', serializeSessionCookie(token, options)),
    clear: () => responseHeaders.append('set-cookie', serializeClearedSessionCookie(options)),
  };
}

interface WithToken {
  token: string;
}

function hasToken(value: unknown): value is WithToken {
  return typeof value === 'object' && value !== null && typeof (value as WithToken).token === 'string';
}

/**
 * Moves the session JWT of a procedure result (a UserAuth, or `{ auth: UserAuth }`) into the
 * cookie and blanks it in the body, so no script ever sees it.
 */
export function moveTokenToCookie(data: unknown, jar: SessionCookieJar): unknown {
  if (hasToken(data) && data.token !== '') {
    jar.set(data.token);
    return { ...data, token: '' };
  }
  if (typeof data === 'object' && data !== null && 'auth' in data && hasToken(data.auth)) {
    return { ...data, auth: moveTokenToCookie(data.auth, jar) };
  }
  return data;
}
