import type { Core, LoginDevice, RequestMeta, TrustedBrowser } from '@twofold/core';
import type { ApiMetrics } from '../metrics/create-metrics.js';
import type { SessionCookieJar } from '../session/cookie-jar.js';
import type { SessionSource } from '../session/session-cookie.js';

/** What every procedure gets: the core, facts about the request, and the presented credential. */
export interface ApiContext {
  core: Core;
  meta: RequestMeta;
  /** Session JWT from `Authorization: Bearer` or, for the web app, the session cookie. */
  sessionToken: string | undefined;
  /** Where `sessionToken` came from; absent means a bearer header (callers in tests). */
  sessionSource?: SessionSource | undefined;
  /** The request carries `x-twofold-csrf: 1`, which a cross-site form cannot send. */
  hasCsrfHeader?: boolean;
  /** Present where the transport can set cookies (the tRPC endpoint). */
  sessionCookie?: SessionCookieJar | undefined;
  /** The device cookie of login and the second step (docs/contract.md § MFA endpoints). */
  device?: LoginDevice | undefined;
  /** The trusted-device cookie of login, the second step and the device list (docs/contract.md § Trusted devices). */
  trustedBrowser?: TrustedBrowser | undefined;
  /** Serve the development mailbox (`dev.mail`); off unless set, never in production. */
  isDevMailboxEnabled?: boolean;
  /** Counts each call's outcome (logins, second steps, lockouts) when metrics are on. */
  metrics?: Pick<ApiMetrics, 'observeProcedure'> | undefined;
}
