import { TRUSTED_DEVICE_TTL_SECONDS, type TrustedBrowser } from '@twofold/core';
import type { DeviceCookiePath } from './device-cookie.js';
import { readCookie, type SessionCookieOptions } from './session-cookie.js';

/**
 * The trusted-device cookie (docs/contract.md § Trusted devices): set by a second step that
 * asked to trust this browser, it lets the password alone log its user in for 30 days. Another
 * name and another power than the device cookie, which only lifts the login throttle.
 */
const TRUSTED_DEVICE_COOKIE_NAME = 'twofold_trusted_device';
/** Scoped to one transport's path, like the device cookie, so `__Host-` cannot apply. */
const SECURE_TRUSTED_DEVICE_COOKIE_NAME = '__Secure-twofold_trusted_device';

function nameOf(options: SessionCookieOptions): string {
  return options.secure ? SECURE_TRUSTED_DEVICE_COOKIE_NAME : TRUSTED_DEVICE_COOKIE_NAME;
}

function serialize(token: string, path: DeviceCookiePath, options: SessionCookieOptions): string {
  const attributes = [
    `${nameOf(options)}=${token}`,
    `Path=${path}`,
    'HttpOnly',
    // Sent on the app's own requests only: no other site can log in with it.
    'SameSite=Strict',
    // As long as the trust it carries.
    `Max-Age=${TRUSTED_DEVICE_TTL_SECONDS}`,
  ];
  if (options.secure) attributes.push('Secure');
  return attributes.join('; ');
}

/** The request's trusted-device cookie for core, and a new one onto the response when core trusts the browser. */
export function createTrustedDeviceCookieJar(
  requestHeaders: Headers,
  responseHeaders: Headers,
  path: DeviceCookiePath,
  options: SessionCookieOptions,
): TrustedBrowser {
  return {
    presentedToken: readCookie(requestHeaders.get('cookie'), nameOf(options)),
    keep: (token) => responseHeaders.append('set-cookie', serialize(token, path, options)),
  };
}
