import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@twofold/api';
import type { Clock } from '@twofold/core';
import { testStoreDialect } from '@twofold/core/testing';
import { type EnvConfig, parseEnvConfig } from '../../src/config.js';
import { DATABASE_FILE, startServer } from '../../src/start-server.js';
import { createPostgresEnv } from './postgres-env.js';

export interface TestServer {
  url: string;
  dataDir: string;
  /** The SQLite file, when the server runs on SQLite. */
  databaseFile: string;
  /** Where its PostgreSQL schema is, when the suite runs on PostgreSQL (`testStoreDialect`). */
  postgres: { url: string; schemaName: string } | undefined;
  /** Every line the server logged, as JSON text. */
  logs: string[];
  /** The environment it was started with (DATA_DIR, store and keys): for the CLI on the same installation. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** A capturing logger: the suites scan what the server would have written. */
export function captureLogger(lines: string[]): Logger {
  const write = (level: string) => (event: string, fields?: Record<string, unknown>) => {
    lines.push(JSON.stringify({ level, event, ...fields }));
  };
  return { info: write('info'), error: write('error') };
}

export interface TestServerOptions {
  clock?: Clock;
  env?: Record<string, string>;
}

/** startServer on 127.0.0.1, port 0, a fresh temp DATA_DIR, with logs captured. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'twofold-sec-'));
  // The postgres project runs these suites on a schema of their own (vitest.config.ts).
  const pg =
    testStoreDialect() === 'postgres' && !options.env?.DATABASE_URL ? createPostgresEnv() : undefined;
  const env = { DATA_DIR: dataDir, NODE_ENV: 'test', ...pg?.env, ...options.env };
  const config: EnvConfig = parseEnvConfig({ PORT: '0', HOST: '127.0.0.1', ...env });
  const logs: string[] = [];
  const server = await startServer(config, {
    logger: captureLogger(logs),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return {
    url: server.url,
    dataDir,
    databaseFile: join(dataDir, DATABASE_FILE),
    postgres: pg ? { url: pg.env.DATABASE_URL ?? '', schemaName: pg.schemaName } : undefined,
    logs,
    env,
    async close() {
      await server.close();
      await pg?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
