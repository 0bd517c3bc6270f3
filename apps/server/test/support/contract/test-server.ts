import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OpenApiDocument, silentLogger } from '@twofold/api';
import type { TDevMailbox, TDevMailMessage } from '@twofold/core';
import { ManualClock } from '@twofold/core/testing';
import { type EnvConfig, parseEnvConfig } from '../../../src/config.js';
import { startServer } from '../../../src/start-server.js';
import { ResponseValidator } from './openapi-validator.js';
import { createRestClient, type RestClient } from './rest-client.js';
import { createTrpcClient, type TrpcClient } from './trpc-client.js';

export interface TestServer {
  url: string;
  clock: ManualClock;
  dataDir: string;
  config: EnvConfig;
  /** Every REST response is validated against the document this server serves. */
  rest: RestClient;
  validator: ResponseValidator;
  trpc(token?: string): TrpcClient;
  /** The development mailbox (`GET /api/dev/mail`), newest first: what the users would receive. */
  mail(): Promise<TDevMailMessage[]>;
  /** Stops the server; the data dir is removed unless it was passed in. */
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Reuse a data dir (restart, second server); it is then left in place on close. */
  dataDir?: string;
  clock?: ManualClock;
}

export function createDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'twofold-it-'));
}

/** A real server on 127.0.0.1 (port 0) over a data dir, with an injected clock and no logs. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? createDataDir();
  const clock = options.clock ?? new ManualClock();
  const config = parseEnvConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, NODE_ENV: 'test' });
  const server = await startServer(config, { clock, logger: silentLogger });
  const document = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as OpenApiDocument;
  const validator = new ResponseValidator(document);

  const rest = createRestClient(server.url, validator);
  const mail = async () => {
    const response = await rest<TDevMailbox>('GET', '/api/dev/mail');
    if (response.status !== 200) throw new Error(`dev mailbox answered ${response.status}`);
    return response.body.messages;
  };

  return {
    url: server.url,
    clock,
    dataDir,
    config,
    rest,
    validator,
    trpc: (token) => createTrpcClient(server.url, token),
    mail,
    async close() {
      await server.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
