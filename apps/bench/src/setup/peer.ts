import { randomBytes } from 'node:crypto';
import { hashPassword, symmetricEncrypt } from 'better-auth/crypto';
import { getMigrations } from 'better-auth/db/migration';
import { distFile } from '../dist-file.js';
import {
  createPeerAuth,
  type PeerAuth,
  type PeerDatabase,
  type PeerPostgres,
  setupPasswordHash,
} from '../peer/create-peer-auth.js';
import { SERVER_CPU, spawnNode, waitUntilReady } from '../processes.js';
import { encodeBase32 } from '../totp-code.js';
import { insertRows, type Row, tablesOf } from './postgres-seed.js';
import type { RunningServer, UserCredentials, W1Challenge } from './types.js';

const PASSWORD = 'bench password 0123';
const SETUP_CONCURRENCY = 16;
const PEER_SERVER = distFile('servers/peer-server.js');

export interface PeerSetup {
  auth: PeerAuth;
  /** Set on PostgreSQL: the users go in by multi-row INSERTs there. */
  postgres: PeerPostgres | undefined;
  close(): Promise<void>;
  baseUrl: string;
}

/**
 * better-auth's own migrations (`getMigrations`) into the peer's database; on PostgreSQL into
 * the schema its pool's search_path names, which must exist already.
 */
export async function openPeerSetup(
  database: PeerDatabase,
  secret: string,
  port: number,
): Promise<PeerSetup> {
  const baseUrl = `http://127.0.0.1:${port}`;
  const { auth, postgres, close } = createPeerAuth({
    database,
    baseUrl,
    secret,
    synchronous: 'OFF',
    // One connection per sign-in in flight.
    maxConnections: SETUP_CONCURRENCY,
  });
  try {
    const { runMigrations } = await getMigrations(auth.options);
    await runMigrations();
  } catch (error) {
    await close();
    throw error;
  }
  return {
    auth,
    postgres,
    baseUrl,
    close: async () => {
      // Planner statistics for the freshly filled tables, as for the twofold-pg side.
      if (postgres) await postgres.pool.query(`ANALYZE ${await tablesOf(postgres)}`);
      await close();
    },
  };
}

export function createPeerSecret(): string {
  return randomBytes(32).toString('hex');
}

type PeerModel = 'user' | 'account' | 'twoFactor';
const PEER_MODELS: readonly PeerModel[] = ['user', 'account', 'twoFactor'];
type PeerContext = Awaited<PeerAuth['$context']>;

function newId(context: PeerContext, model: PeerModel): string {
  const id = context.generateId({ model });
  if (id === false) throw new Error(`setup: better-auth generates no ${model} id (database ids)`);
  return id;
}

type PeerFields = NonNullable<PeerContext['tables'][string]>['fields'];

/** The defaults of the fields a row leaves out, as better-auth's adapter fills them on create. */
function withDefaults(fields: PeerFields, row: Row): Row {
  const filled: Record<string, unknown> = { ...row };
  for (const [key, { defaultValue }] of Object.entries(fields)) {
    if (filled[key] !== undefined || defaultValue === undefined) continue;
    filled[key] = typeof defaultValue === 'function' ? defaultValue() : defaultValue;
  }
  return filled;
}

/**
 * Parents first, one multi-row INSERT per batch, under better-auth's table and column names,
 * with its field defaults (e.g. twoFactor.failedVerificationCount = 0, which its migrations
 * leave to the adapter).
 */
async function insertPeerRows(
  context: PeerContext,
  postgres: PeerPostgres,
  rows: Record<PeerModel, Row[]>,
): Promise<void> {
  for (const model of PEER_MODELS) {
    const table = context.tables[model];
    if (!table) throw new Error(`setup: better-auth has no ${model} table`);
    const column = (key: string) => (key === 'id' ? key : (table.fields[key]?.fieldName ?? key));
    const filled = rows[model].map((row) => withDefaults(table.fields, row));
    await insertRows(postgres, table.modelName, filled, column);
  }
}

/**
 * Seeds users as better-auth's own enable + verify would leave them: a credential account
 * and a verified twoFactor row holding the encrypted secret and backup codes. SQLite: through
 * better-auth's adapter, a row at a time; PostgreSQL: the same rows in bulk (a row at a time
 * over a socket, with a round trip each, would take minutes for the W1 users).
 */
export async function seedPeerUsers(
  setup: PeerSetup,
  prefix: string,
  count: number,
  passwordHash: string,
  hasMfa: boolean,
): Promise<{ email: string; totpSecret: string }[]> {
  const context = await setup.auth.$context;
  const backupCodes = await symmetricEncrypt({
    key: context.secretConfig,
    data: JSON.stringify(Array.from({ length: 10 }, (_, i) => `code-${i}`)),
  });
  const now = new Date();
  const rows: Record<PeerModel, Row[]> = { user: [], account: [], twoFactor: [] };
  const out: { email: string; totpSecret: string }[] = [];
  for (let i = 0; i < count; i++) {
    const email = `${prefix}${i}@bench.test`;
    // better-auth's secrets are 32 random characters, used as UTF-8 key bytes.
    const secret = randomBytes(24).toString('base64url').slice(0, 32);
    const userId = newId(context, 'user');
    rows.user.push({
      id: userId,
      name: `${prefix}${i}`,
      email,
      emailVerified: true,
      twoFactorEnabled: hasMfa,
      createdAt: now,
      updatedAt: now,
    });
    rows.account.push({
      id: newId(context, 'account'),
      accountId: userId,
      providerId: 'credential',
      userId,
      password: passwordHash,
      createdAt: now,
      updatedAt: now,
    });
    if (hasMfa) {
      rows.twoFactor.push({
        id: newId(context, 'twoFactor'),
        secret: await symmetricEncrypt({ key: context.secretConfig, data: secret }),
        backupCodes,
        userId,
        verified: true,
      });
    }
    out.push({ email, totpSecret: encodeBase32(Buffer.from(secret, 'utf8')) });
  }
  if (setup.postgres) await insertPeerRows(context, setup.postgres, rows);
  else {
    for (const model of PEER_MODELS) {
      for (const data of rows[model]) await context.adapter.create({ model, data, forceAllowId: true });
    }
  }
  return out;
}

export function peerSetupPasswordHash(): Promise<string> {
  return setupPasswordHash(PASSWORD);
}

export function peerRealPasswordHash(): Promise<string> {
  return hashPassword(PASSWORD);
}

/** Each user signs in with the password; better-auth answers `twoFactorRedirect` and sets its signed two-factor cookie. */
export async function signInForChallenges(
  setup: PeerSetup,
  users: readonly { email: string; totpSecret: string }[],
): Promise<W1Challenge[]> {
  const out: W1Challenge[] = new Array(users.length);
  let next = 0;
  const worker = async () => {
    while (next < users.length) {
      const index = next++;
      const user = users[index]!;
      const response = await setup.auth.api.signInEmail({
        body: { email: user.email, password: PASSWORD },
        headers: new Headers({ origin: setup.baseUrl }),
        asResponse: true,
      });
      const cookie = response.headers
        .getSetCookie()
        .map((header) => header.split(';')[0]!)
        .find((pair) => pair.includes('two_factor'));
      if (!cookie)
        throw new Error(`setup: ${user.email} got no two-factor cookie (status ${response.status})`);
      out[index] = { token: cookie, totpSecret: user.totpSecret };
    }
  };
  await Promise.all(Array.from({ length: SETUP_CONCURRENCY }, worker));
  return out;
}

export function peerCredentials(users: readonly { email: string }[]): UserCredentials[] {
  return users.map(({ email }) => ({ username: email, password: PASSWORD }));
}

export async function startPeer(
  database: PeerDatabase,
  secret: string,
  port: number,
  pin: boolean,
  logFd: number,
): Promise<RunningServer> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    PORT: String(port),
    PEER_DATABASE: JSON.stringify(database),
    PEER_SECRET: secret,
    NODE_ENV: 'production',
  };
  const child = spawnNode([PEER_SERVER], SERVER_CPU, pin, { env, stdio: ['ignore', logFd, logFd] });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(child, async () => (await fetch(`${url}/api/auth/ok`)).ok);
  return { child, url, pid: child.pid! };
}
