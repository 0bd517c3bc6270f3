import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hash } from '@node-rs/argon2';
import {
  ARGON2_OPTIONS,
  type Core,
  createCore,
  deriveTokenHashKey,
  loginWithPassword,
  migrateDatabase,
  openSqliteStore,
} from '@twofold/core';
import { type SeedMfaUser, seedMfaUsers, sqliteDbOf } from '@twofold/core/testing';
import { DATABASE_FILE, SERVER_NODE_FLAGS } from '@twofold/server';
import { freePort, SERVER_CPU, spawnNode, waitUntilReady } from '../processes.js';
import { encodeBase32 } from '../totp-code.js';
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

export interface TwofoldSecrets {
  JWT_SECRET: string;
  ENCRYPTION_KEY: string;
}

export function createTwofoldSecrets(): TwofoldSecrets {
  return { JWT_SECRET: randomBytes(32).toString('hex'), ENCRYPTION_KEY: randomBytes(32).toString('hex') };
}

/** A core over the server's database file with the server's keys, for setup only. */
export function openSetupCore(dataDir: string, secrets: TwofoldSecrets): Core {
  mkdirSync(dataDir, { recursive: true });
  const store = openSqliteStore(join(dataDir, DATABASE_FILE));
  migrateDatabase(store.db);
  // Setup is not measured: no fsync per seeded row.
  store.db.$client.pragma('synchronous = OFF');
  return createCore({
    store,
    config: {
      issuer: 'Bench',
      publicUrl: 'http://127.0.0.1',
      jwtSecret: new Uint8Array(Buffer.from(secrets.JWT_SECRET, 'utf8')),
      encryptionKeys: [new Uint8Array(Buffer.from(secrets.ENCRYPTION_KEY, 'hex'))],
      // What the server writes into a new DATA_DIR when TOKEN_HASH_KEY is unset.
      tokenHashKey: deriveTokenHashKey(new Uint8Array(Buffer.from(secrets.ENCRYPTION_KEY, 'hex'))),
    },
  });
}

export async function closeSetupCore(core: Core): Promise<void> {
  sqliteDbOf(core).$client.pragma('wal_checkpoint(TRUNCATE)');
  await core.store.close();
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
    });
  }
  await seedMfaUsers(
    core,
    seeds.map((seed) => (hasMfa ? seed : { ...seed, totpSecret: undefined })),
  );
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

/** Our built server (apps/server dist) in its own process: temp data dir, SMTP unset, logs to a file. */
export async function startTwofold(
  dataDir: string,
  secrets: TwofoldSecrets,
  pin: boolean,
  logFd: number,
): Promise<RunningServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    NODE_ENV: 'production',
    ...secrets,
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
