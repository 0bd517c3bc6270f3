import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@twofold/api';
import type { TDevMailbox, TDevMailMessage } from '@twofold/core';
import { ManualClock, TEST_ARGON2_COST, testStoreDialect } from '@twofold/core/testing';
import { type EnvConfig, parseEnvConfig } from '../../src/config.js';
import { DATABASE_FILE, type RunningServer, type StartOptions, startServer } from '../../src/start-server.js';
import { request } from './http.js';
import { createPostgresEnv } from './postgres-env.js';
import { createTrpcClient, type TrpcClient } from './trpc-client.js';

/** A temporary DATA_DIR that several servers can share (a restart, several processes on one database). */
export function createDataDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'twofold-test-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A capturing logger: the suites scan what the server would have written. */
export function captureLogger(lines: string[]): Logger {
  const write = (level: string) => (event: string, fields?: Record<string, unknown>) => {
    lines.push(JSON.stringify({ level, event, ...fields }));
  };
  return { info: write('info'), error: write('error') };
}

export interface TestServerOptions extends Pick<StartOptions, 'logger' | 'webRoot' | 'mailPollIntervalMs'> {
  /** The server's clock; when not given, a ManualClock standing at the time of the start. */
  clock?: ManualClock;
  env?: Record<string, string | undefined>;
  /** Reuse a data dir (restart, second server); it is then left in place on close. */
  dataDir?: string;
  /**
   * Hash at the production argon2 cost. Without it the server hashes at core's TEST_ARGON2_COST,
   * as core and api suites do; suites that compare response times need the real cost.
   */
  productionArgon2?: boolean;
}

export interface TestServer extends RunningServer {
  clock: ManualClock;
  dataDir: string;
  /** The SQLite file, when the server runs on SQLite. */
  databaseFile: string;
  /** Where its PostgreSQL schema is, when the suite runs on PostgreSQL (`testStoreDialect`). */
  postgres: { url: string; schemaName: string } | undefined;
  /** Every line the server logged, as JSON text (unless `logger` was given). */
  logs: string[];
  /** The environment it was started with (DATA_DIR, store and keys): for the CLI on the same installation. */
  env: Record<string, string>;
  config: EnvConfig;
  /** The typed tRPC client internal TS apps use. */
  trpc(token?: string): TrpcClient;
  /** The development mailbox (`GET /api/dev/mail`), newest first: what the users would receive. */
  mail(): Promise<TDevMailMessage[]>;
}

/**
 * startServer on 127.0.0.1, port 0, a fresh temp DATA_DIR (unless given) and, when the suite
 * runs on PostgreSQL, a schema of its own (vitest.config.ts), with logs captured.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const ownDir = options.dataDir === undefined ? createDataDir() : undefined;
  const dataDir = options.dataDir ?? (ownDir?.path as string);
  const pg =
    testStoreDialect() === 'postgres' && !options.env?.DATABASE_URL ? createPostgresEnv() : undefined;
  const given = Object.entries({ ...pg?.env, ...options.env }).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  const env = { DATA_DIR: dataDir, NODE_ENV: 'test', ...Object.fromEntries(given) };
  const config = parseEnvConfig({ PORT: '0', HOST: '127.0.0.1', ...env });
  const clock = options.clock ?? new ManualClock(Date.now());
  const logs: string[] = [];
  const { env: _env, dataDir: _dir, productionArgon2, ...startOptions } = options;
  const server = await startServer(config, {
    logger: captureLogger(logs),
    ...(productionArgon2 ? {} : { unsafeTestArgon2Cost: TEST_ARGON2_COST }),
    ...startOptions,
    clock,
  });
  return {
    ...server,
    clock,
    dataDir,
    databaseFile: join(dataDir, DATABASE_FILE),
    postgres: pg ? { url: pg.env.DATABASE_URL ?? '', schemaName: pg.schemaName } : undefined,
    logs,
    env,
    config,
    trpc: (token) => createTrpcClient(server.url, token),
    async mail() {
      const response = await request<TDevMailbox>(server.url, 'GET', '/api/dev/mail');
      if (response.status !== 200) throw new Error(`dev mailbox answered ${response.status}`);
      return response.json.messages;
    },
    async close() {
      await server.close();
      await pg?.drop();
      ownDir?.remove();
    },
  };
}

/** docs/contract.md § Reset by email: the reset code stands alone on its own line, from this alphabet. */
export const RESET_CODE_PATTERN = /^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{5}$/;

export function resetCodeIn(text: string): string {
  const lines = text.split('\n').map((line) => line.trim());
  const codes = lines.filter((line) => RESET_CODE_PATTERN.test(line));
  if (codes.length !== 1) throw new Error(`expected one code line, found ${codes.length}`);
  return codes[0] as string;
}

const newestResetMailTo = async (server: Pick<TestServer, 'mail'>, to: string) => {
  const mail = (await server.mail()).find((m) => m.kind === 'reset-code' && m.to === to.toLowerCase());
  if (!mail) throw new Error(`no reset code mailed to ${to}`);
  return mail;
};

/** Both email reset codes of the newest reset request of `user`, read from the dev mailbox. */
export async function resetCodesOf(
  server: Pick<TestServer, 'mail'>,
  user: { email: string; recoveryEmail: string },
) {
  return {
    main_email_code: resetCodeIn((await newestResetMailTo(server, user.email)).text),
    recovery_email_code: resetCodeIn((await newestResetMailTo(server, user.recoveryEmail)).text),
  };
}

/** The user id carried by the link in the reset email (`PUBLIC_URL/mfa/reset/<user-id>`). */
export async function resetLinkIdOf(server: Pick<TestServer, 'mail'>, email: string): Promise<string> {
  const id = (await newestResetMailTo(server, email)).text.match(/\/mfa\/reset\/([^\s/]+)/)?.[1];
  if (!id) throw new Error(`no reset link mailed to ${email}`);
  return decodeURIComponent(id);
}
