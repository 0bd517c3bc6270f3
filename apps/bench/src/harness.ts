import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RECOVERY_CODE_COUNT, SLOW_HASH_MAX_PENDING_PER_ADDRESS } from '@twofold/core';
import { TEST_DATABASE_URL } from '@twofold/core/testing';
import { type MeasuredLoad, runLoad } from './load/run-load.js';
import type { LoadItem, LoadSpec } from './load/spec.js';
import type { BenchOptions } from './options.js';
import { PEER_PASSWORD_HASH, type PeerDatabase } from './peer/create-peer-auth.js';
import { canPin, freePort, type PostgresCpu, stopChild } from './processes.js';
import { startCeiling } from './servers/ceiling.js';
import {
  createPeerSecret,
  openPeerSetup,
  peerCredentials,
  peerRealPasswordHash,
  peerSetupPasswordHash,
  seedPeerUsers,
  signInForChallenges,
  startPeer,
} from './setup/peer.js';
import {
  createBenchSchema,
  describeDatabase,
  dropBenchSchema,
  newBenchSchemaName,
} from './setup/postgres-schema.js';
import {
  closeSetupCore,
  createTwofoldSecrets,
  credentialsOf,
  loginForChallenges,
  loginForJwts,
  openSetupCore,
  realPasswordHash,
  seedTwofoldUsers,
  setupPasswordHash,
  startTwofold,
  TWOFOLD_PASSWORD_HASH,
  type TwofoldDatabase,
} from './setup/twofold.js';
import type { RunningServer, UserCredentials, W1Challenge } from './setup/types.js';
import { runW0, type W0Result } from './w0-totp.js';

/**
 * `twofold` runs on the embedded SQLite (the default store), `twofold-pg` on PostgreSQL; the
 * peer likewise: `better-auth` on better-sqlite3, `better-auth-pg` on PostgreSQL (its Kysely/pg adapter).
 */
type Side = 'twofold' | 'twofold-pg' | 'better-auth' | 'better-auth-pg' | 'ceiling';
type TwofoldSide = Extract<Side, 'twofold' | 'twofold-pg'>;
type PeerSide = Extract<Side, 'better-auth' | 'better-auth-pg'>;

export interface WorkloadRow {
  workload: string;
  side: Side;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  /** Open loop only: the fixed rate requests were due at (latency counts from each due time). */
  offeredRps: number | undefined;
  requests: number;
  failures: number;
  failuresByStatus: Record<string, number>;
  serverCpuPercent: number | undefined;
  serverPeakRssMiB: number | undefined;
  /** The pool of distinct challenges ran out (the window was cut short). */
  exhausted: boolean;
  windowSeconds: number;
  /** On PostgreSQL: where PostgreSQL itself ran during the window (it is not pinned). */
  postgres: PostgresCpu | undefined;
}

interface ScaleRow {
  users: number;
  /** Seconds the database of this many users took to build (the bulk seed), and the CPU seconds of it. */
  buildSeconds: number;
  buildCpuSeconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  failures: number;
}

/** How a PostgreSQL side (`twofold-pg`, `better-auth-pg`) went: where it ran, and what its setup cost. */
export interface PostgresRun {
  /** host:port/database (never the credentials the URL may carry). */
  database: string;
  /** The schema it ran in, dropped at the end. */
  schema: string;
  /** W1's users: how many, and the seconds seeding them took (the bulk path). */
  w1Users: number | undefined;
  w1SeedSeconds: number | undefined;
  /** The same users' password logins, one pending challenge each. */
  w1LoginSeconds: number | undefined;
}

export interface BenchReport {
  startedAt: string;
  machine: { cpuModel: string; cpus: number; node: string; platform: string; pinned: boolean };
  settings: Omit<BenchOptions, 'log' | 'workloads' | 'resultsDir' | 'pgUrl'> & { workloads: string[] };
  passwordHashes: { twofold: string; betterAuth: string };
  w0: W0Result | undefined;
  /** The `twofold-pg` side; undefined when it did not run (`--no-pg`, or neither W1 nor W2 asked). */
  postgres: PostgresRun | undefined;
  /** The `better-auth-pg` side; undefined when it did not run (`--no-pg`, `--no-peer`, or neither W1 nor W2 asked). */
  peerPostgres: PostgresRun | undefined;
  rows: WorkloadRow[];
  scale: ScaleRow[];
  /** Reasons the run is not a result (failures, exhausted pools). Empty means valid. */
  problems: string[];
}

/** The open-loop W1 (issue 17): its rate is this share of the closed-loop W1 just measured. */
const OPEN_LOOP_SHARE = 0.5;
/** The most sockets the open-loop generator opens; requests beyond them wait, counted from their due time. */
const OPEN_LOOP_SOCKETS = 256;
export const W1_OPEN_LOOP = 'W1 open';

const W1_BODY_TWOFOLD = (token: string) => `{"token":"${token}","code":"{{code}}"}`;
const JSON_HEADERS = { 'content-type': 'application/json' };

function rowOf(workload: string, side: Side, load: MeasuredLoad): WorkloadRow {
  const w = load.window;
  return {
    workload,
    side,
    rps: w.rps,
    p50Ms: w.latencyMs.p50,
    p99Ms: w.latencyMs.p99,
    p999Ms: w.latencyMs.p999,
    offeredRps: w.offeredRps,
    requests: w.requests,
    failures: w.failures + (load.warmup?.failures ?? 0),
    failuresByStatus: w.failuresByStatus,
    serverCpuPercent: load.server.cpuPercent,
    serverPeakRssMiB: load.server.peakRssMiB,
    exhausted: w.exhausted,
    windowSeconds: w.elapsedSeconds,
    postgres: load.postgres,
  };
}

interface Context {
  options: BenchOptions;
  workDir: string;
  pin: boolean;
  logFd: number;
  rows: WorkloadRow[];
  problems: string[];
}

/** Generates in flight from the load generator's one address that its hash-queue share admits. */
const W3_CONNECTIONS = Math.floor(SLOW_HASH_MAX_PENDING_PER_ADDRESS / RECOVERY_CODE_COUNT);

function specOf(
  context: Context,
  server: RunningServer,
  fields: Pick<LoadSpec, 'method' | 'path' | 'items' | 'mode' | 'expect'> & Partial<LoadSpec>,
): LoadSpec {
  const { options } = context;
  return {
    url: server.url,
    connections: options.connections,
    warmupSeconds: options.warmupSeconds,
    durationSeconds: options.durationSeconds,
    ...(options.requestsPerPhase === undefined ? {} : { requestsPerPhase: options.requestsPerPhase }),
    ...fields,
  };
}

async function measure(
  context: Context,
  server: RunningServer,
  workload: string,
  side: Side,
  fields: Parameters<typeof specOf>[2],
  isExhaustionExpected = false,
): Promise<MeasuredLoad> {
  const spec = specOf(context, server, fields);
  context.options.log(`  ${workload} ${side}: ${spec.method} ${spec.path} (${spec.items.length} prepared)`);
  const load = await runLoad(spec, server.pid, context.workDir, context.pin, `${workload}-${side}`, {
    samplePostgres: side.endsWith('-pg'),
  });
  const row = rowOf(workload, side, load);
  if (row.failures > 0) {
    context.problems.push(
      `${workload} ${side}: ${row.failures} failed responses ${JSON.stringify(row.failuresByStatus)}`,
    );
  }
  if (row.exhausted && !isExhaustionExpected) {
    context.problems.push(
      `${workload} ${side}: prepared challenges ran out after ${row.windowSeconds.toFixed(1)} s`,
    );
  }
  if (row.requests === 0) context.problems.push(`${workload} ${side}: no request completed`);
  context.options.log(
    `    ${row.rps.toFixed(0)} req/s, p50 ${row.p50Ms.toFixed(1)} ms, p99 ${row.p99Ms.toFixed(1)} ms, p99.9 ${row.p999Ms.toFixed(1)} ms, failures ${row.failures}`,
  );
  return load;
}

/** Measures one workload and adds its row to the table. */
async function measureRow(
  context: Context,
  server: RunningServer,
  workload: string,
  side: Side,
  fields: Parameters<typeof specOf>[2],
): Promise<void> {
  context.rows.push(rowOf(workload, side, await measure(context, server, workload, side, fields)));
}

function w1Items(challenges: readonly W1Challenge[]): LoadItem[] {
  return challenges.map((c) => ({
    headers: JSON_HEADERS,
    body: W1_BODY_TWOFOLD(c.token),
    totpSecret: c.totpSecret,
  }));
}

function loginItems(credentials: readonly UserCredentials[], field: 'username' | 'email'): LoadItem[] {
  return credentials.map((c) => ({
    headers: JSON_HEADERS,
    body: JSON.stringify({ [field]: c.username, password: c.password }),
  }));
}

async function benchCeiling(context: Context): Promise<void> {
  const server = await startCeiling(context.pin, context.logFd);
  try {
    const body = JSON.stringify({ token: '2b6f0cc9-04c4-4c1b-9d16-3c3a0f7b3b1e', code: '123456' });
    await measureRow(context, server, 'ceiling', 'ceiling', {
      method: 'POST',
      path: '/echo',
      items: [{ headers: JSON_HEADERS, body }],
      mode: 'cycle',
      expect: { status: 200, bodyIncludes: '"code"' },
    });
  } finally {
    await stopChild(server.child);
  }
}

interface SetupTimes {
  w1Users: number | undefined;
  w1SeedSeconds: number | undefined;
  w1LoginSeconds: number | undefined;
}

const secondsSince = (start: number) => (performance.now() - start) / 1000;

/**
 * W1, W2 (and, on SQLite, W3) against our server on the given store: the same users, keys and
 * load on either, so the two sides' rows compare the stores alone.
 */
async function benchTwofold(
  context: Context,
  side: TwofoldSide,
  database: TwofoldDatabase,
): Promise<SetupTimes> {
  const { options } = context;
  const has = (id: 'w1' | 'w2' | 'w3') => options.workloads.has(id) && (id !== 'w3' || side === 'twofold');
  const secrets = createTwofoldSecrets();
  const core = await openSetupCore(database, secrets);
  const times: SetupTimes = { w1Users: undefined, w1SeedSeconds: undefined, w1LoginSeconds: undefined };
  const w1Users = side === 'twofold' ? options.w1Users : Math.min(options.w1Users, options.pgW1Users);
  let challenges: W1Challenge[] = [];
  let passwordUsers: UserCredentials[] = [];
  let jwts: string[] = [];
  try {
    const cheap = await setupPasswordHash();
    if (has('w1')) {
      options.log(`  seeding ${w1Users} MFA users and logging each in (password step)…`);
      let start = performance.now();
      const users = await seedTwofoldUsers(core, 'w1u', w1Users, cheap, true);
      times.w1Users = w1Users;
      times.w1SeedSeconds = secondsSince(start);
      start = performance.now();
      challenges = await loginForChallenges(core, users);
      times.w1LoginSeconds = secondsSince(start);
      options.log(
        `    seeded in ${times.w1SeedSeconds.toFixed(1)} s, logged in in ${times.w1LoginSeconds.toFixed(1)} s`,
      );
    }
    if (has('w2')) {
      const users = await seedTwofoldUsers(
        core,
        'w2u',
        options.passwordUsers,
        await realPasswordHash(),
        true,
      );
      passwordUsers = credentialsOf(users);
    }
    if (has('w3')) {
      const users = await seedTwofoldUsers(core, 'w3u', options.jwtUsers, cheap, false);
      jwts = await loginForJwts(
        core,
        users.map((u) => u.username),
      );
    }
  } finally {
    await closeSetupCore(core);
  }

  const server = await startTwofold(database, secrets, context.pin, context.logFd);
  try {
    if (has('w1')) {
      const w1 = {
        method: 'POST',
        path: '/api/user/mfa/auth',
        mode: 'distinct',
        expect: { status: 200, bodyIncludes: '"token"' },
      } as const;
      const closed = await measure(context, server, 'W1', side, { ...w1, items: w1Items(challenges) });
      context.rows.push(rowOf('W1', side, closed));
      if (side === 'twofold') {
        // The same server at half the rate it just reached, latency from each request's due time.
        const rate = Math.max(1, Math.round(closed.window.rps * OPEN_LOOP_SHARE));
        await measureRow(context, server, W1_OPEN_LOOP, side, {
          ...w1,
          items: w1Items(challenges.slice(closed.itemsUsed)),
          openLoopRate: rate,
          connections: OPEN_LOOP_SOCKETS,
        });
      }
    }
    if (has('w2')) {
      await measureRow(context, server, 'W2', side, {
        method: 'POST',
        path: '/api/login',
        // A password hash per request: at 32 connections on one core a response queues for seconds.
        timeoutSeconds: 60,
        // No warm-up: hashes of its abandoned requests would still hold the server during the window.
        warmupSeconds: 0,
        items: loginItems(passwordUsers, 'username'),
        mode: 'cycle',
        expect: { status: 401, header: 'x-mfa-token' },
      });
    }
    if (has('w3')) {
      await measureRow(context, server, 'W3', side, {
        method: 'GET',
        path: '/api/user/mfa/generate',
        // Six argon2id hashes per request: at 32 connections a response can queue for seconds.
        timeoutSeconds: 60,
        // One client address may have at most SLOW_HASH_MAX_PENDING_PER_ADDRESS hashes admitted
        // (docs/contract.md § Bounded work); more connections would measure the 503s past it.
        connections: Math.min(context.options.connections, W3_CONNECTIONS),
        // No warm-up: hashes of its abandoned requests would still hold the server during the window.
        warmupSeconds: 0,
        items: jwts.map((jwt) => ({ headers: { authorization: `Bearer ${jwt}` } })),
        mode: 'cycle',
        expect: { status: 200, bodyIncludes: 'otpauth://' },
      });
    }
  } finally {
    await stopChild(server.child);
  }
  return times;
}

/**
 * A PostgreSQL side: a fresh schema of the bench database (created by `createSchema` or the
 * side's own migrations), dropped at the end whatever happens.
 */
async function benchInPostgresSchema(
  context: Context,
  side: Extract<Side, 'twofold-pg' | 'better-auth-pg'>,
  what: string,
  bench: (url: string, schemaName: string) => Promise<SetupTimes>,
): Promise<PostgresRun> {
  const { options } = context;
  const url = options.pgUrl ?? TEST_DATABASE_URL;
  const schemaName = newBenchSchemaName();
  const database = describeDatabase(url);
  options.log(`${side} (${what} on PostgreSQL ${database}, schema ${schemaName})`);
  try {
    const times = await bench(url, schemaName);
    return { database, schema: schemaName, ...times };
  } finally {
    try {
      await dropBenchSchema(url, schemaName);
    } catch (error) {
      options.log(`  could not drop schema ${schemaName} (drop it by hand): ${String(error)}`);
    }
  }
}

function benchTwofoldPostgres(context: Context): Promise<PostgresRun> {
  return benchInPostgresSchema(context, 'twofold-pg', 'apps/server dist', (url, schemaName) =>
    benchTwofold(context, 'twofold-pg', {
      dialect: 'postgres',
      dataDir: join(context.workDir, 'twofold-pg'),
      url,
      schemaName,
    }),
  );
}

function benchPeerPostgres(context: Context): Promise<PostgresRun> {
  return benchInPostgresSchema(
    context,
    'better-auth-pg',
    'better-auth + twoFactor',
    async (url, schemaName) => {
      // better-auth's migrations create tables in the search_path's schema, not the schema itself.
      await createBenchSchema(url, schemaName);
      return benchPeer(context, 'better-auth-pg', { dialect: 'postgres', url, schemaName });
    },
  );
}

async function benchPeer(context: Context, side: PeerSide, database: PeerDatabase): Promise<SetupTimes> {
  const { options } = context;
  const has = (id: 'w1' | 'w2') => options.workloads.has(id);
  const times: SetupTimes = { w1Users: undefined, w1SeedSeconds: undefined, w1LoginSeconds: undefined };
  if (!has('w1') && !has('w2')) return times;
  const w1Users =
    side === 'better-auth' ? options.peerW1Users : Math.min(options.peerW1Users, options.pgW1Users);
  const secret = createPeerSecret();
  const port = await freePort();
  const setup = await openPeerSetup(database, secret, port);
  let challenges: W1Challenge[] = [];
  let passwordUsers: UserCredentials[] = [];
  try {
    if (has('w1')) {
      options.log(`  seeding ${w1Users} better-auth MFA users and signing each in…`);
      let start = performance.now();
      const users = await seedPeerUsers(setup, 'pw1u', w1Users, await peerSetupPasswordHash(), true);
      times.w1Users = w1Users;
      times.w1SeedSeconds = secondsSince(start);
      start = performance.now();
      challenges = await signInForChallenges(setup, users);
      times.w1LoginSeconds = secondsSince(start);
      options.log(
        `    seeded in ${times.w1SeedSeconds.toFixed(1)} s, signed in in ${times.w1LoginSeconds.toFixed(1)} s`,
      );
    }
    if (has('w2')) {
      const users = await seedPeerUsers(
        setup,
        'pw2u',
        options.passwordUsers,
        await peerRealPasswordHash(),
        true,
      );
      passwordUsers = peerCredentials(users);
    }
  } finally {
    await setup.close();
  }

  const server = await startPeer(database, secret, port, context.pin, context.logFd);
  const origin = { origin: server.url };
  try {
    if (has('w1')) {
      await measureRow(context, server, 'W1', side, {
        method: 'POST',
        path: '/api/auth/two-factor/verify-totp',
        items: challenges.map((c) => ({
          headers: { ...JSON_HEADERS, ...origin, cookie: c.token },
          body: '{"code":"{{code}}"}',
          totpSecret: c.totpSecret,
        })),
        mode: 'distinct',
        expect: { status: 200, bodyIncludes: '"token"' },
      });
    }
    if (has('w2')) {
      await measureRow(context, server, 'W2', side, {
        method: 'POST',
        path: '/api/auth/sign-in/email',
        timeoutSeconds: 60,
        // No warm-up: hashes of its abandoned requests would still hold the server during the window.
        warmupSeconds: 0,
        items: loginItems(passwordUsers, 'email').map((item) => ({
          ...item,
          headers: { ...item.headers, ...origin },
        })),
        mode: 'cycle',
        expect: { status: 200, bodyIncludes: 'twoFactorRedirect' },
      });
    }
  } finally {
    await stopChild(server.child);
  }
  return times;
}

/** W1 at a fixed number of requests against DBs of different sizes: cost must not grow with users. */
async function benchScale(context: Context): Promise<ScaleRow[]> {
  const { options } = context;
  const rows: ScaleRow[] = [];
  for (const size of options.scaleUsers) {
    const database: TwofoldDatabase = { dialect: 'sqlite', dataDir: join(context.workDir, `scale-${size}`) };
    const secrets = createTwofoldSecrets();
    const core = await openSetupCore(database, secrets);
    let challenges: W1Challenge[];
    let buildSeconds = 0;
    let buildCpuSeconds = 0;
    try {
      options.log(`  scale: seeding ${size} MFA users…`);
      const start = performance.now();
      const cpuAtStart = process.cpuUsage();
      const users = await seedTwofoldUsers(core, 'su', size, await setupPasswordHash(), true);
      buildSeconds = secondsSince(start);
      const cpu = process.cpuUsage(cpuAtStart);
      buildCpuSeconds = (cpu.user + cpu.system) / 1e6;
      options.log(`    built in ${buildSeconds.toFixed(1)} s (${buildCpuSeconds.toFixed(1)} s of CPU)`);
      const count = Math.min(options.scaleRequests, size);
      // Spread over the whole table, so lookups do not all land on recently written pages.
      const picked = Array.from({ length: count }, (_, i) => users[Math.floor((i * size) / count)]!);
      challenges = await loginForChallenges(core, picked);
    } finally {
      await closeSetupCore(core);
    }
    const server = await startTwofold(database, secrets, context.pin, context.logFd);
    try {
      const warmupItems = options.warmupSeconds > 0 ? Math.floor(challenges.length / 5) : 0;
      const load = await measure(
        context,
        server,
        `W1@${size}`,
        'twofold',
        {
          method: 'POST',
          path: '/api/user/mfa/auth',
          items: w1Items(challenges),
          mode: 'distinct',
          expect: { status: 200, bodyIncludes: '"token"' },
          warmupItems,
          // Fixed-size run: each phase ends when its challenges are used up.
          warmupSeconds: options.warmupSeconds > 0 ? 30 : 0,
          durationSeconds: 30,
        },
        true,
      );
      const w = load.window;
      rows.push({
        users: size,
        buildSeconds,
        buildCpuSeconds,
        rps: w.rps,
        p50Ms: w.latencyMs.p50,
        p99Ms: w.latencyMs.p99,
        requests: w.requests,
        failures: w.failures + (load.warmup?.failures ?? 0),
      });
    } finally {
      await stopChild(server.child);
    }
  }
  return rows;
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const workDir = mkdtempSync(join(tmpdir(), 'twofold-bench-'));
  const pin = canPin();
  const logFd = openSync(join(workDir, 'servers.log'), 'a');
  const context: Context = { options, workDir, pin, logFd, rows: [], problems: [] };
  const startedAt = new Date().toISOString();
  if (!pin)
    options.log('taskset not available (or fewer than 2 cores): server and load generator are NOT pinned');
  let w0: W0Result | undefined;
  let scale: ScaleRow[] = [];
  let postgres: PostgresRun | undefined;
  let peerPostgres: PostgresRun | undefined;
  try {
    if (options.workloads.has('w0')) {
      options.log('W0: in-process TOTP verification…');
      w0 = runW0(options.w0Iterations);
    }
    if (options.workloads.has('ceiling')) {
      options.log('ceiling: bare Hono POST /echo');
      await benchCeiling(context);
    }
    if (['w1', 'w2', 'w3'].some((id) => options.workloads.has(id as 'w1'))) {
      options.log('twofold (apps/server dist on SQLite)');
      await benchTwofold(context, 'twofold', {
        dialect: 'sqlite',
        dataDir: join(context.workDir, 'twofold'),
      });
      const hasPgWorkload = options.workloads.has('w1') || options.workloads.has('w2');
      if (options.skipPg) options.log('twofold-pg: skipped (--no-pg)');
      else if (hasPgWorkload) postgres = await benchTwofoldPostgres(context);
      if (options.skipPeer) options.log('better-auth, better-auth-pg: skipped (--no-peer)');
      else {
        options.log('better-auth + twoFactor (better-sqlite3)');
        await benchPeer(context, 'better-auth', {
          dialect: 'sqlite',
          file: join(context.workDir, 'peer.sqlite'),
        });
        if (options.skipPg) options.log('better-auth-pg: skipped (--no-pg)');
        else if (hasPgWorkload) peerPostgres = await benchPeerPostgres(context);
      }
    }
    if (options.workloads.has('scale')) {
      options.log(`scale: W1 against ${options.scaleUsers.join(' vs ')} MFA users`);
      scale = await benchScale(context);
      for (const row of scale) {
        if (row.failures > 0) context.problems.push(`W1@${row.users}: ${row.failures} failed responses`);
      }
    }
  } finally {
    closeSync(context.logFd);
    rmSync(workDir, { recursive: true, force: true });
  }
  const { log: _log, workloads, resultsDir: _dir, pgUrl: _url, ...settings } = options;
  return {
    startedAt,
    machine: {
      cpuModel: cpus()[0]?.model ?? 'unknown',
      cpus: cpus().length,
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      pinned: pin,
    },
    settings: { ...settings, workloads: [...workloads] },
    passwordHashes: { twofold: TWOFOLD_PASSWORD_HASH, betterAuth: PEER_PASSWORD_HASH },
    w0,
    postgres,
    peerPostgres,
    rows: context.rows,
    scale,
    problems: context.problems,
  };
}
