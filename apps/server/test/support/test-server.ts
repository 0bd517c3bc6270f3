import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OpenApiDocument, silentLogger } from '@twofold/api';
import { type Core, closeDatabase, createCore, openDatabase } from '@twofold/core';
import { ManualClock, type OutboxMail, readOutbox } from '@twofold/core/testing';
import { type EnvConfig, parseEnvConfig } from '../../src/config.js';
import { loadSecrets } from '../../src/secrets.js';
import { DATABASE_FILE, startServer } from '../../src/start-server.js';
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
  /** Every email in the outbox, newest first (what the users would receive). */
  mail(): OutboxMail[];
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

  let reader: Core | undefined;
  const mail = () => {
    reader ??= openReader(config);
    return readOutbox(reader);
  };

  return {
    url: server.url,
    clock,
    dataDir,
    config,
    rest: createRestClient(server.url, validator),
    validator,
    trpc: (token) => createTrpcClient(server.url, token),
    mail,
    async close() {
      await server.close();
      if (reader) closeDatabase(reader.db);
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A second connection to the server's database with its keys, to open sealed outbox rows. */
function openReader(config: EnvConfig): Core {
  const secrets = loadSecrets(config.DATA_DIR, config.JWT_SECRET, config.ENCRYPTION_KEY);
  return createCore({
    db: openDatabase(join(config.DATA_DIR, DATABASE_FILE)),
    config: {
      issuer: config.ISSUER,
      publicUrl: config.PUBLIC_URL ?? 'http://127.0.0.1',
      jwtSecret: secrets.jwtSecret,
      encryptionKeys: secrets.encryptionKeys,
    },
  });
}
