import { type LoginDevice, PROVEN_LOGIN_TTL_SECONDS } from '@twofold/core';
import { readCookie, type SessionCookieOptions } from './session-cookie.js';

/**
 * The device cookie (OWASP "device cookies"): set after a complete login, it lets this browser
 * past a throttled client address for that account (docs/contract.md § MFA endpoints). It is
 * not the session and never skips a factor.
 */
export const DEVICE_COOKIE_NAME = 'twofold_device';
/** Scoped to one transport's path, so `__Host-` (which needs `Path=/`) cannot apply. */
export const SECURE_DEVICE_COOKIE_NAME = '__Secure-twofold_device';

/** Each transport reads and sets its own: only its login routes need it. */
export type DeviceCookiePath = '/api' | '/trpc';

function deviceCookieNameOf(options: SessionCookieOptions): string {
  return options.secure ? SECURE_DEVICE_COOKIE_NAME : DEVICE_COOKIE_NAME;
}

function serializeDeviceCookie(token: string, path: DeviceCookiePath, options: SessionCookieOptions): string {
  const attributes = [
    `${deviceCookieNameOf(options)}=${token}`,
    `Path=${path}`,
    'HttpOnly',
    'SameSite=Strict',
    // As long as the token it carries.
    `Max-Age=${PROVEN_LOGIN_TTL_SECONDS}`,
  ];
  if (options.secure) attributes.push('Secure');
  return attributes.join('; ');
}

/** The request's device cookie for core, and a new one onto the response when core issues it. */
export function createDeviceCookieJar(
  requestHeaders: Headers,
  responseHeaders: Headers,
  path: DeviceCookiePath,
  options: SessionCookieOptions,
): LoginDevice {
  return {
    presentedToken: readCookie(requestHeaders.get('cookie'), deviceCookieNameOf(options)),
    keep: (token) => responseHeaders.append('set-cookie', serializeDeviceCookie(token, path, options)),
  };
}
