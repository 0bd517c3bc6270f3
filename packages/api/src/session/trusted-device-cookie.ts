import { TRUSTED_DEVICE_TTL_SECONDS } from '@twofold/core';
import type { HttpOnlyCookie } from './http-only-cookie.js';

/**
 * The trusted-device cookie (docs/contract.md § Trusted devices): set by a second step that
 * asked to trust this browser, it lets the password alone log its user in for 30 days. Another
 * name and another power than the device cookie, which only lifts the login throttle. Scoped to
 * its transport's path like the device cookie.
 */
export const TRUSTED_DEVICE_COOKIE: HttpOnlyCookie = {
  name: 'twofold_trusted_device',
  secureName: '__Secure-twofold_trusted_device',
  // As long as the trust it carries.
  maxAgeSeconds: TRUSTED_DEVICE_TTL_SECONDS,
};
