import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hash } from '@node-rs/argon2';
import {
  ARGON2_OPTIONS,
  type Core,
  createCore,
  loginWithPassword,
  migrateDatabase,
  migratePostgres,
  openPostgresStore,
  openSqliteStore,
  type Store,
} from '@twofold/core';
import { type SeedMfaUser, sqliteDbOf } from '@twofold/core/testing';
import { DATABASE_FILE, SERVER_NODE_FLAGS } from '@twofold/server';
import { freePort, SERVER_CPU, spawnNode, waitUntilReady } from '../processes.js';
import { encodeBase32 } from '../totp-code.js';
import { isPostgresStore, seedPostgresUsersInBulk, tablesOf } from './postgres-seed.js';
import { seedSqliteUsersInBulk } from './sqlite-seed.js';
import type { RunningServer, UserCredentials, W1Challenge } from './types.js';

/**
 * Setup-only argon2id cost: W1's users each log in once before the window, which at the
 * real cost (W2) would take minutes for 100 000 users. The PHC string carries the
 * parameters, so the server verifies these with no change.
 */
const SETUP_ARGON2 = { memoryCost: 64, timeCost: 1, parallelism: 1 } as const;
const PASSWORD = 'bench password 0123';
const META = { clientAddress: '127.0.0.1' };
/** Logins in flight during setup (argon2 runs on the thread pool). */
const SETUP_CONCURRENCY = 16;

export const TWOFOLD_PASSWORD_HASH = `argon2id m=${ARGON2_OPTIONS.memoryCost} KiB t=${ARGON2_OPTIONS.timeCost} p=${ARGON2_OPTIONS.parallelism} (@node-rs/argon2, libuv thread pool)`;

/** The same explicit keys on both stores (PostgreSQL requires them; SQLite would derive TOKEN_HASH_KEY). */
export interface TwofoldSecrets {
  JWT_SECRET: string;
  ENCRYPTION_KEY: string;
  TOKEN_HASH_KEY: string;
}

export function createTwofoldSecrets(): TwofoldSecrets {
  const key = () => randomBytes(32).toString('hex');
  return { JWT_SECRET: key(), ENCRYPTION_KEY: key(), TOKEN_HASH_KEY: key() };
}

/** Where a Twofold side keeps its data: the SQLite file in `dataDir`, or a PostgreSQL schema. */
export type TwofoldDatabase =
  | { dialect: 'sqlite'; dataDir: string }
  | {
      dialect: 'postgres';
      /** The server's DATA_DIR all the same (it holds nothing then). */
      dataDir: string;
      url: string;
      schemaName: string;
    };

/** Connections of the setup core: one per login in flight. */
const SETUP_PG_CONNECTIONS = 16;

async function openMigratedStore(database: TwofoldDatabase): Promise<Store> {
  mkdirSync(database.dataDir, { recursive: true });
  if (database.dialect === 'postgres') {
    const store = openPostgresStore(database.url, {
      schemaName: database.schemaName,
      maxConnections: SETUP_PG_CONNECTIONS,
    });
    try {
      await migratePostgres(store.pool, store.schemaName);
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }
  const store = openSqliteStore(join(database.dataDir, DATABASE_FILE));
  migrateDatabase(store.db);
  // Setup is not measured: no fsync per seeded row.
  store.db.$client.pragma('synchronous = OFF');
  return store;
}

/** A core over the server's database with the server's keys, for setup only. */
export async function openSetupCore(database: TwofoldDatabase, secrets: TwofoldSecrets): Promise<Core> {
  return createCore({
    store: await openMigratedStore(database),
    config: {
      issuer: 'Bench',
      publicUrl: 'http://127.0.0.1',
      jwtSecret: new Uint8Array(Buffer.from(secrets.JWT_SECRET, 'utf8')),
      encryptionKeys: [new Uint8Array(Buffer.from(secrets.ENCRYPTION_KEY, 'hex'))],
      tokenHashKey: new Uint8Array(Buffer.from(secrets.TOKEN_HASH_KEY, 'hex')),
    },
  });
}

export async function closeSetupCore(core: Core): Promise<void> {
  const { store } = core;
  if (isPostgresStore(store)) {
    // Planner statistics for the freshly filled tables, as a server that ran a while has them.
    await store.pool.query(`ANALYZE ${await tablesOf(store)}`);
  } else sqliteDbOf(core).$client.pragma('wal_checkpoint(TRUNCATE)');
  await store.close();
}

function newTotpSecret(): string {
  return encodeBase32(randomBytes(20));
}

async function mapConcurrent<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: SETUP_CONCURRENCY }, worker));
  return out;
}

/** The load generator's address, as the server sees it (it runs on this machine). */
const LOAD_CLIENT_ADDRESS = '127.0.0.1';

/** Seeds `count` MFA users named `${prefix}${i}` with the given password hash. */
export async function seedTwofoldUsers(
  core: Core,
  prefix: string,
  count: number,
  passwordHash: string,
  hasMfa: boolean,
): Promise<{ username: string; totpSecret: string }[]> {
  const seeds: (SeedMfaUser & { totpSecret: string })[] = [];
  for (let i = 0; i < count; i++) {
    const username = `${prefix}${i}`;
    seeds.push({
      username,
      email: `${username}@bench.test`,
      passwordHash,
      totpSecret: newTotpSecret(),
      recoveryEmail: `${username}.recovery@bench.test`,
      // Registered from where the load comes from: W1 measures the usual login, from a known
      // client. A login from a client never seen also queues a notice mail (BENCHMARKS.md).
      registeredFrom: LOAD_CLIENT_ADDRESS,
    });
  }
  const written = seeds.map(
    ({ totpSecret, ...seed }): SeedMfaUser => (hasMfa ? { ...seed, totpSecret } : seed),
  );
  const { store } = core;
  if (isPostgresStore(store)) await seedPostgresUsersInBulk(core, store, written);
  else await seedSqliteUsersInBulk(core, written);
  return seeds.map(({ username, totpSecret }) => ({ username, totpSecret }));
}

export function setupPasswordHash(): Promise<string> {
  return hash(PASSWORD, SETUP_ARGON2);
}

export function realPasswordHash(): Promise<string> {
  return hash(PASSWORD, ARGON2_OPTIONS);
}

/** Every seeded user logs in with the password and gets its X-MFA-Token (the pending challenge). */
export async function loginForChallenges(
  core: Core,
  users: readonly { username: string; totpSecret: string }[],
): Promise<W1Challenge[]> {
  return mapConcurrent(users, async (user) => {
    const result = await loginWithPassword(core, { username: user.username, password: PASSWORD }, META);
    if (result.status !== 'mfa_required') throw new Error(`setup: ${user.username} did not get an MFA token`);
    return { token: result.mfaToken, totpSecret: user.totpSecret };
  });
}

/** Users without MFA log in to get a session JWT (for the enrollment workload). */
export async function loginForJwts(core: Core, usernames: readonly string[]): Promise<string[]> {
  return mapConcurrent(usernames, async (username) => {
    const result = await loginWithPassword(core, { username, password: PASSWORD }, META);
    if (result.status !== 'authenticated') throw new Error(`setup: ${username} did not get a session`);
    return result.auth.token;
  });
}

export function credentialsOf(users: readonly { username: string }[]): UserCredentials[] {
  return users.map(({ username }) => ({ username, password: PASSWORD }));
}

/** `main.js` beside the server package's entry (its dist/), found through the workspace dependency. */
const SERVER_MAIN = join(dirname(fileURLToPath(import.meta.resolve('@twofold/server'))), 'main.js');

/**
 * Our built server (apps/server dist) in its own process: temp data dir (and the PostgreSQL
 * schema, if that is its store), SMTP unset, logs to a file.
 */
export async function startTwofold(
  database: TwofoldDatabase,
  secrets: TwofoldSecrets,
  pin: boolean,
  logFd: number,
): Promise<RunningServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: database.dataDir,
    NODE_ENV: 'production',
    ...secrets,
    ...(database.dialect === 'postgres'
      ? { DATABASE_URL: database.url, DATABASE_SCHEMA: database.schemaName }
      : {}),
  };
  // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server under load.
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  // The flags `pnpm start` runs it with, then any of the caller's.
  const child = spawnNode([...SERVER_NODE_FLAGS, ...nodeArgs, SERVER_MAIN], SERVER_CPU, pin, {
    env,
    stdio: ['ignore', logFd, logFd],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(child, async () => (await fetch(`${url}/healthz`)).ok);
  return { child, url, pid: child.pid! };
}
