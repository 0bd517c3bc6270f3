import { PROVEN_LOGIN_TTL_SECONDS } from '@twofold/core';
import type { HttpOnlyCookie } from './http-only-cookie.js';

/**
 * The device cookie (OWASP "device cookies"): set after a complete login, it lets this browser
 * past a throttled client address for that account (docs/contract.md § MFA endpoints). It is
 * not the session and never skips a factor.
 */
export const DEVICE_COOKIE: HttpOnlyCookie = {
  name: 'twofold_device',
  // Scoped to one transport's path, so `__Host-` (which needs `Path=/`) cannot apply.
  secureName: '__Secure-twofold_device',
  // As long as the token it carries.
  maxAgeSeconds: PROVEN_LOGIN_TTL_SECONDS,
};

/** Each transport reads and sets its own device cookies: only its login routes need them. */
export type DeviceCookiePath = '/api' | '/trpc';
