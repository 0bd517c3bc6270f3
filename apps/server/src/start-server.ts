import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { jsonLogger, type Logger } from '@twofold/api';
import { type Clock, closeDatabase, createCore, migrateDatabase, openDatabase } from '@twofold/core';
import type { EnvConfig } from './config.js';
import { createServerApp } from './create-app.js';
import { loadSecrets } from './secrets.js';
import { findWebRoot } from './web-root.js';

export const DATABASE_FILE = 'twofold.sqlite';

/** How often a stopping server closes keep-alive sockets that have gone idle. */
const DRAIN_POLL_MS = 50;

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting connections, lets in-flight requests finish, closes the database. */
  close(): Promise<void>;
}

export async function startServer(config: EnvConfig, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? jsonLogger;
  const secrets = loadSecrets(config.DATA_DIR, config.JWT_SECRET, config.ENCRYPTION_KEY);
  const db = openDatabase(join(config.DATA_DIR, DATABASE_FILE));
  migrateDatabase(db);

  const core = createCore({
    db,
    ...(options.clock ? { clock: options.clock } : {}),
    config: {
      issuer: config.ISSUER,
      publicUrl: config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`,
      jwtSecret: secrets.jwtSecret,
      encryptionKeys: secrets.encryptionKeys,
    },
  });
  const webRoot = findWebRoot();
  const app = createServerApp({
    core,
    trustProxy: config.TRUST_PROXY,
    logger,
    ...(webRoot ? { webRoot } : {}),
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.HOST}:${port}`;
  logger.info('listening', { url, webApp: webRoot ? 'served' : 'not built' });

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        // A keep-alive socket goes idle once its in-flight request is answered, and would
        // then hold close() open until its timeout: keep closing idle ones while draining.
        const closeIdle = () => {
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        };
        const drain = setInterval(closeIdle, DRAIN_POLL_MS);
        server.close(() => {
          clearInterval(drain);
          closeDatabase(db);
          logger.info('stopped');
          resolve();
        });
        closeIdle();
      });
      return closing;
    },
  };
}
