import { createApiMetrics, jsonLogger, type Logger } from '@twofold/api';
import {
  type Argon2Cost,
  type Clock,
  checkKeys,
  createCore,
  isDevMailboxAllowed,
  type Random,
  recordMfaRequirement,
  resealUnboundCiphertexts,
  systemClock,
} from '@twofold/core';
import type { EnvConfig } from './config.js';
import { createServerApp } from './create-app.js';
import { createHousekeeper, type Housekeeper } from './housekeeper.js';
import { isLoopbackHost, listenAll } from './listen.js';
import { createMailWorker, type MailWorker } from './mail-worker.js';
import { openConfiguredStore } from './open-store.js';
import { createOutboxPurger, type OutboxPurger } from './outbox-purger.js';
import { loadSecrets, secureDataDir } from './secrets.js';
import { createSmtpTransport } from './smtp-transport.js';
import { LIBUV_DEFAULT_POOL_SIZE, recommendedPoolSize, slowHashThreadsFor } from './thread-pool.js';
import { findWebRoot } from './web-root.js';

export { DATABASE_FILE } from './open-store.js';

/** How often a stopping server closes keep-alive sockets that have gone idle. */
const DRAIN_POLL_MS = 50;

export interface StartOptions {
  clock?: Clock;
  random?: Random;
  logger?: Logger;
  /** How often the mail worker polls the outbox (tests set it high and call `drain()`). */
  mailPollIntervalMs?: number;
  /** How often settled mail past its retention is deleted from the outbox. */
  outboxPurgeIntervalMs?: number;
  /** How often expired rows (tokens, counters, old security events…) are deleted. */
  housekeepingIntervalMs?: number;
  /** The built web app to serve; found in the workspace when not given. */
  webRoot?: string;
  /** TESTS ONLY, never read from the environment: see `CoreDeps.unsafeTestArgon2Cost`. */
  unsafeTestArgon2Cost?: Argon2Cost;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Delivers the outbox; absent without SMTP_URL, when mail stays in the dev mailbox. */
  mailWorker: MailWorker | undefined;
  /** Deletes settled mail past its retention, at start and then hourly, with or without SMTP. */
  outboxPurger: OutboxPurger;
  /** Deletes expired rows and old security events, at start and then hourly. */
  housekeeper: Housekeeper;
  /**
   * Stops accepting connections, lets in-flight requests and the email being sent finish,
   * closes the database.
   */
  close(): Promise<void>;
}

export async function startServer(config: EnvConfig, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? jsonLogger;
  const dataDir = secureDataDir(config.DATA_DIR);
  if (dataDir.tightenedFrom) {
    logger.info('data_dir_permissions_tightened', { from: dataDir.tightenedFrom, to: '0700' });
  }
  const secrets = loadSecrets(config.DATA_DIR, {
    jwtSecret: config.JWT_SECRET,
    encryptionKey: config.ENCRYPTION_KEY,
    tokenHashKey: config.TOKEN_HASH_KEY,
  });
  const store = await openConfiguredStore(config);

  // Bind first, so links in emails name the real port even when PORT=0 picks one; requests
  // reach the app once it is built, a moment later (until then they are told to retry).
  let handle: (request: Request, env: unknown) => Response | Promise<Response> = () =>
    new Response(JSON.stringify({ message: 'starting', code: 'SERVICE_UNAVAILABLE' }), {
      status: 503,
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Retry-After': '1' },
    });
  const { listeners, port } = await listenAll(
    (request, env) => handle(request, env),
    config.PORT,
    config.HOST,
    (address, error) =>
      logger.info('listen_address_skipped', {
        address,
        reason: error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : 'unknown',
      }),
  ).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const closeListeners = () => {
    for (const listener of listeners) listener.close();
  };
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  // docs/contract.md § WebAuthn: browsers refuse an IP address as RP ID, so a loopback server
  // names itself `localhost` in links and as the WebAuthn origin.
  const publicUrl = config.PUBLIC_URL ?? (isLoopbackHost(config.HOST) ? `http://localhost:${port}` : url);

  const rpHost = config.WEBAUTHN_RP_ID ?? new URL(publicUrl).hostname;
  if (/^[\d.]+$/.test(rpHost) || rpHost.includes(':')) {
    logger.info('webauthn_unavailable', {
      hint: 'PUBLIC_URL names an IP address, which browsers refuse as a WebAuthn RP ID: use a host name',
    });
  }

  const isDevMailboxOn = isDevMailboxAllowed({
    isSmtpConfigured: config.SMTP_URL !== undefined,
    isProduction: config.NODE_ENV === 'production',
    isProxyTrusted: config.TRUST_PROXY !== undefined,
  });
  const slowHashThreads = slowHashThreadsFor(config.UV_THREADPOOL_SIZE);
  // Before the first request: the grace period counts from the first start with the requirement.
  const requireMfa = await recordMfaRequirement(store, options.clock ?? systemClock, {
    mode: config.REQUIRE_MFA,
    graceDays: config.REQUIRE_MFA_GRACE_DAYS ?? 0,
  }).catch(async (error: unknown) => {
    closeListeners();
    await store.close();
    throw error;
  });
  const core = createCore({
    store,
    slowHashThreads,
    ...(options.unsafeTestArgon2Cost ? { unsafeTestArgon2Cost: options.unsafeTestArgon2Cost } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.random ? { random: options.random } : {}),
    config: {
      issuer: config.ISSUER,
      publicUrl,
      ...(config.WEBAUTHN_RP_ID ? { webauthnRpId: config.WEBAUTHN_RP_ID } : {}),
      jwtSecret: secrets.jwtSecret,
      signingKeyRotationDays: config.SIGNING_KEY_ROTATION_DAYS,
      encryptionKeys: secrets.encryptionKeys,
      tokenHashKey: secrets.tokenHashKey,
      isDevMailboxOn,
      ...(requireMfa ? { requireMfa } : {}),
      requireVerifiedRecoveryEmail: config.REQUIRE_VERIFIED_RECOVERY_EMAIL,
    },
  });
  // Before the first request: keys other than those the data was written with refuse the start.
  try {
    await checkKeys(core, config.KEYS_CHANGED);
  } catch (error) {
    closeListeners();
    await store.close();
    throw error;
  }
  // Before the first request: rows written by earlier versions get bound to their purpose.
  const resealed = await resealUnboundCiphertexts(core);
  if (resealed.resealed > 0 || resealed.unreadable > 0) logger.info('ciphertexts_resealed', { ...resealed });
  const metrics = config.METRICS_TOKEN ? createApiMetrics({ core, token: config.METRICS_TOKEN }) : undefined;
  const webRoot = options.webRoot ?? findWebRoot();
  const app = createServerApp({
    core,
    trustProxy: config.TRUST_PROXY,
    corsOrigins: config.CORS_ORIGINS,
    secureCookies: config.PUBLIC_URL?.startsWith('https:') ?? false,
    logger,
    devMailbox: isDevMailboxOn,
    metrics,
    ...(webRoot ? { webRoot } : {}),
  });

  const transport = config.SMTP_URL ? createSmtpTransport(config.SMTP_URL, config.MAIL_FROM) : undefined;
  const mailWorker = transport
    ? createMailWorker({
        core,
        transport,
        logger,
        metrics,
        ...(options.mailPollIntervalMs === undefined ? {} : { pollIntervalMs: options.mailPollIntervalMs }),
      })
    : undefined;
  const outboxPurger = createOutboxPurger({
    core,
    logger,
    ...(options.outboxPurgeIntervalMs === undefined ? {} : { intervalMs: options.outboxPurgeIntervalMs }),
  });

  const housekeeper = createHousekeeper({
    core,
    logger,
    securityEventsRetentionDays: config.SECURITY_EVENTS_RETENTION_DAYS,
    ...(options.housekeepingIntervalMs === undefined ? {} : { intervalMs: options.housekeepingIntervalMs }),
  });

  handle = app.fetch;
  logger.info('listening', {
    url,
    webApp: webRoot ? 'served' : 'not built',
    // Never the SMTP URL itself: it may carry a password.
    mail: mailWorker ? 'smtp' : isDevMailboxOn ? 'development mailbox' : 'outbox only (not sent)',
    slowHashThreads,
    metrics: metrics ? 'on' : 'off',
    cors: config.CORS_ORIGINS.length === 0 ? 'off' : config.CORS_ORIGINS,
  });
  if (config.UV_THREADPOOL_SIZE === undefined && recommendedPoolSize() > LIBUV_DEFAULT_POOL_SIZE) {
    logger.info('thread_pool_small', {
      hint: `set UV_THREADPOOL_SIZE=${recommendedPoolSize()} to hash on every core`,
    });
  }
  if (isDevMailboxOn) {
    // It shows reset codes: whoever runs the server must know it is there.
    logger.info('dev_mailbox_on', {
      url: `${url}/dev/mail`,
      note: 'mail is kept here and never sent; only this machine, without a proxy, can read it',
    });
  }
  if (!mailWorker && !isDevMailboxOn) {
    // Mail waits in the outbox (up to a day) until a server starts with SMTP_URL set.
    logger.error('mail_not_configured', { hint: 'set SMTP_URL: reset codes and notices are not being sent' });
  }
  mailWorker?.start();
  outboxPurger.start();
  housekeeper.start();

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    mailWorker,
    outboxPurger,
    housekeeper,
    close() {
      closing ??= (async () => {
        // A keep-alive socket goes idle once its in-flight request is answered, and would
        // then hold close() open until its timeout: keep closing idle ones while draining.
        const closeIdle = () => {
          for (const listener of listeners) {
            if ('closeIdleConnections' in listener) listener.closeIdleConnections();
          }
        };
        const drain = setInterval(closeIdle, DRAIN_POLL_MS);
        try {
          const serversClosed = listeners.map(
            (listener) => new Promise<void>((resolve) => listener.close(() => resolve())),
          );
          closeIdle();
          await Promise.all([...serversClosed, mailWorker?.stop(), outboxPurger.stop(), housekeeper.stop()]);
        } finally {
          clearInterval(drain);
        }
        transport?.close();
        await store.close();
        logger.info('stopped');
      })();
      return closing;
    },
  };
}
