import { trpcServer } from '@hono/trpc-server';
import {
  type Core,
  checkReadiness,
  DomainError,
  JWKS_MAX_AGE_SECONDS,
  pingDatabase,
  publishedJwks,
} from '@twofold/core';
import { type Context, Hono } from 'hono';
import { storeFaultCodeOf, toDomainError } from './errors/to-domain-error.js';
import { describeError, jsonLogger, type Logger } from './logger.js';
import type { ApiMetrics } from './metrics/create-metrics.js';
import { isMetricsTokenPresented } from './metrics/metrics-endpoint.js';
import { routeLabelOf } from './metrics/route-label.js';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi/build-document.js';
import { declaredBodyLimit } from './rest/body-limit.js';
import { clientAddressOf, isHttpsRequest } from './rest/client-address.js';
import { corsFor } from './rest/cors.js';
import { isDirectLoopbackRequest } from './rest/dev-mailbox-access.js';
import { errorResponseOf } from './rest/error-response.js';
import { mountMethodNotAllowed } from './rest/method-not-allowed.js';
import { mountRoutes } from './rest/mount.js';
import { noStore } from './rest/no-store.js';
import { assertNoBodyFields, readJsonBody } from './rest/read-body.js';
import { restRoutes } from './rest/routes/index.js';
import { compileTrustProxy, type TrustProxy } from './rest/trust-proxy.js';
import { appRouter, createCaller } from './router.js';
import { createSessionCookieJar } from './session/cookie-jar.js';
import { isCrossOriginRequest, withoutCookies } from './session/cross-origin.js';
import { DEVICE_COOKIE, type DeviceCookiePath } from './session/device-cookie.js';
import { createTokenCookieJar } from './session/http-only-cookie.js';
import { credentialsOf } from './session/session-cookie.js';
import { TRUSTED_DEVICE_COOKIE } from './session/trusted-device-cookie.js';
import { trpcBatchLimit } from './trpc/batch-limit.js';
import type { ApiContext } from './trpc/context.js';
import { retryAfterMeta } from './trpc/response-meta.js';

/** docs/contract.md: bodies over 64 KiB are refused with 413 before parsing. */
export const MAX_BODY_BYTES = 64 * 1024;
/** docs/contract.md § Bounded work: a tRPC batch holds at most 10 calls (413 beyond). */
export const MAX_TRPC_BATCH_CALLS = 10;

export interface ApiAppOptions {
  core: Core;
  /** Trusted proxies in front (TRUST_PROXY): X-Forwarded-For and X-Forwarded-Proto count only through them. */
  trustProxy?: TrustProxy | undefined;
  logger?: Logger;
  /** Always mark the session cookie `Secure` (PUBLIC_URL is https); requests over https get it anyway. */
  secureCookies?: boolean;
  /**
   * Serve the development mailbox (`/dev/mail`, `GET /api/dev/mail`, `dev.mail`) to direct
   * loopback requests; the server decides with core's `isDevMailboxAllowed`.
   */
  devMailbox?: boolean;
  /** Serve `GET /metrics` behind its bearer token and count requests; without it `/metrics` is 404. */
  metrics?: ApiMetrics | undefined;
  /**
   * Exact origins (`https://console.example.com`) whose pages may read REST answers
   * (CORS_ORIGINS; docs/contract.md § Cross-origin requests). None: no CORS header at all.
   */
  corsOrigins?: readonly string[];
}

/** Every tRPC procedure path (`auth.login`): the only tRPC paths a metric label may name. */
const PROCEDURE_PATHS: ReadonlySet<string> = new Set(Object.keys(appRouter._def.procedures));

export function createApiApp(options: ApiAppOptions): Hono {
  const { core, logger = jsonLogger, devMailbox = false, metrics } = options;
  const trust = options.trustProxy ? compileTrustProxy(options.trustProxy) : undefined;
  const isDevMailboxOpen = (c: Context) => devMailbox && isDirectLoopbackRequest(c);
  const corsOrigins: ReadonlySet<string> = new Set(options.corsOrigins ?? []);
  const app = new Hono();

  // Procedures set cookies onto `resHeaders`: the session cookie only on the tRPC endpoint,
  // the device and trusted-device cookies on both transports, each under its own path.
  // Cookies never work cross-origin (docs/contract.md § Cross-origin requests): such a request
  // is read as if it carried none, on both transports.
  const contextOf = (c: Context, resHeaders: Headers, path: DeviceCookiePath): ApiContext => {
    const cookieOptions = { secure: options.secureCookies === true || isHttpsRequest(c, trust) };
    const headers = isCrossOriginRequest(c.req.raw.headers, corsOrigins)
      ? withoutCookies(c.req.raw.headers)
      : c.req.raw.headers;
    return {
      core,
      meta: { clientAddress: clientAddressOf(c, trust), userAgent: c.req.header('user-agent') },
      ...credentialsOf(headers, cookieOptions),
      ...(path === '/trpc'
        ? { sessionCookie: createSessionCookieJar(headers, resHeaders, cookieOptions) }
        : {}),
      device: createTokenCookieJar(DEVICE_COOKIE, path, headers, resHeaders, cookieOptions),
      trustedBrowser: createTokenCookieJar(TRUSTED_DEVICE_COOKIE, path, headers, resHeaders, cookieOptions),
      isDevMailboxEnabled: isDevMailboxOpen(c),
      metrics,
    };
  };

  // Real faults, and storage faults (locked, disk full) an operator must see; never request data.
  const logFault = (domain: DomainError, where: Record<string, unknown>) => {
    if (domain.code === 'INTERNAL') logger.error('unhandled_error', { ...where, ...describeError(domain) });
    // A full slow-hash queue has no cause: load, not a fault (the request log shows its 503s).
    if (domain.code === 'SERVICE_UNAVAILABLE' && domain.cause !== undefined) {
      const { stack: _stack, ...cause } = describeError(domain);
      const code = storeFaultCodeOf(domain.cause);
      metrics?.observeStoreFault(code);
      logger.error('storage_unavailable', { ...where, ...cause, code });
    }
  };

  const sendError = (c: Context, error: unknown) => {
    const domain = toDomainError(error);
    logFault(domain, { route: c.req.routePath });
    const { status, body, headers } = errorResponseOf(domain);
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    return c.json(body, status);
  };

  // Group commit: a response that follows a write leaves only once that write is on disk.
  // The request log names route templates only: raw paths can carry reset tokens and user ids.
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    await core.store.settle();
    const ms = performance.now() - started;
    logger.info('request', {
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ms: Math.round(ms),
    });
    metrics?.observeRequest(c.req.method, routeLabelOf(c, PROCEDURE_PATHS), c.res.status, ms / 1000);
  });

  // Before everything else under /api, so preflights are answered and errors carry the headers.
  if (corsOrigins.size > 0) app.use('/api/*', corsFor([...corsOrigins]));
  app.use('/api/*', noStore);
  app.use('/trpc/*', noStore);

  const tooLarge = (c: Context) =>
    sendError(
      c,
      new DomainError('PAYLOAD_TOO_LARGE', `request body must be at most ${MAX_BODY_BYTES} bytes`),
    );
  app.use('/api/*', declaredBodyLimit(MAX_BODY_BYTES, tooLarge));
  app.use('/trpc/*', declaredBodyLimit(MAX_BODY_BYTES, tooLarge));
  app.use(
    '/trpc/*',
    trpcBatchLimit('/trpc', MAX_TRPC_BATCH_CALLS, (c) =>
      sendError(
        c,
        new DomainError('PAYLOAD_TOO_LARGE', `a batch may hold at most ${MAX_TRPC_BATCH_CALLS} calls`),
      ),
    ),
  );

  // docs/contract.md § Sessions other services verify: public, cacheable, for relying services.
  app.get('/.well-known/jwks.json', async (c) => {
    c.header('Cache-Control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`);
    return c.json(await publishedJwks(core));
  });

  app.get('/healthz', async (c) => {
    await pingDatabase(core);
    return c.json({ status: 'ok' });
  });

  // docs/contract.md § Running: ready once the database answers and holds every migration.
  app.get('/readyz', async (c) => {
    const readiness = await checkReadiness(core);
    const { isReady, ...checks } = readiness;
    if (!isReady) c.header('Retry-After', '1');
    return c.json({ status: isReady ? 'ready' : 'unavailable', ...checks }, isReady ? 200 : 503);
  });

  // docs/contract.md § Metrics: off (404) unless METRICS_TOKEN is set, then behind it.
  app.get('/metrics', async (c) => {
    if (!metrics) return sendError(c, new DomainError('NOT_FOUND', 'no such endpoint'));
    if (!isMetricsTokenPresented(c.req.raw.headers, metrics.token)) {
      c.header('WWW-Authenticate', 'Bearer');
      return sendError(c, new DomainError('UNAUTHENTICATED', 'missing or wrong metrics token'));
    }
    c.header('Cache-Control', 'no-store');
    return c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
  });

  // The web app's mailbox page: 404 wherever the mailbox itself would answer 404.
  app.get('/dev/mail', (c, next) =>
    isDevMailboxOpen(c) ? next() : sendError(c, new DomainError('NOT_FOUND', 'no such page')),
  );

  let openApiDocument: OpenApiDocument | undefined;
  app.get('/api/openapi.json', (c) => {
    openApiDocument ??= buildOpenApiDocument(restRoutes);
    return c.json(openApiDocument);
  });

  mountRoutes(app, restRoutes, (route) => async (c) => {
    const body = route.method === 'GET' ? undefined : await readJsonBody(c);
    if (!route.requestBody) assertNoBodyFields(body);
    const cookies = new Headers();
    const ctx = contextOf(c, cookies, '/api');
    const response = await route.handle(createCaller(ctx), {
      body,
      params: c.req.param() as Record<string, string>,
      // A cookie's JWT is never echoed into a body, where scripts could read it.
      sessionToken: ctx.sessionSource === 'bearer' ? ctx.sessionToken : undefined,
    });
    for (const [name, value] of Object.entries(response.headers ?? {})) c.header(name, value);
    for (const cookie of cookies.getSetCookie()) c.header('set-cookie', cookie, { append: true });
    const status = response.status ?? 200;
    if (response.body === undefined) return c.body(null, status);
    return c.json(response.body, status);
  });

  // Without the mailbox its path is no endpoint at all (404 for every method), not a 405.
  const knownRoutes = restRoutes.filter((route) => devMailbox || !route.tags.includes('dev'));
  mountMethodNotAllowed(
    app,
    [...knownRoutes, { method: 'GET', path: '/api/openapi.json' }],
    (allow) => (c) => {
      c.header('Allow', allow.join(', '));
      return sendError(c, new DomainError('METHOD_NOT_ALLOWED', `${c.req.method} is not allowed here`));
    },
  );

  app.use(
    '/trpc/*',
    trpcServer({
      router: appRouter,
      endpoint: '/trpc',
      maxBatchSize: MAX_TRPC_BATCH_CALLS,
      responseMeta: retryAfterMeta,
      createContext: (opts, c) =>
        contextOf(c, opts.resHeaders, '/trpc') as unknown as Record<string, unknown>,
      onError: ({ error }) => logFault(toDomainError(error), { transport: 'trpc' }),
    }),
  );

  app.all('/api/*', (c) => sendError(c, new DomainError('NOT_FOUND', 'no such endpoint')));
  app.onError((error, c) => sendError(c, error));
  return app;
}
