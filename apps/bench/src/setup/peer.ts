import { randomBytes } from 'node:crypto';
import { hashPassword, symmetricEncrypt } from 'better-auth/crypto';
import { getMigrations } from 'better-auth/db/migration';
import { distFile } from '../dist-file.js';
import { createPeerAuth, type PeerAuth, setupPasswordHash } from '../peer/create-peer-auth.js';
import { SERVER_CPU, spawnNode, waitUntilReady } from '../processes.js';
import { encodeBase32 } from '../totp-code.js';
import type { RunningServer, UserCredentials, W1Challenge } from './types.js';

const PASSWORD = 'bench password 0123';
const SETUP_CONCURRENCY = 16;
const PEER_SERVER = distFile('servers/peer-server.js');

export interface PeerSetup {
  auth: PeerAuth;
  close(): void;
  baseUrl: string;
}

export async function openPeerSetup(databaseFile: string, secret: string, port: number): Promise<PeerSetup> {
  const baseUrl = `http://127.0.0.1:${port}`;
  const { auth, close } = createPeerAuth({ databaseFile, baseUrl, secret, synchronous: 'OFF' });
  const { runMigrations } = await getMigrations(auth.options);
  await runMigrations();
  return {
    auth,
    baseUrl,
    close,
  };
}

export function createPeerSecret(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Seeds users as better-auth's own enable + verify would leave them: a credential account
 * and a verified twoFactor row holding the encrypted secret and backup codes.
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
  const out: { email: string; totpSecret: string }[] = [];
  for (let i = 0; i < count; i++) {
    const email = `${prefix}${i}@bench.test`;
    // better-auth's secrets are 32 random characters, used as UTF-8 key bytes.
    const secret = randomBytes(24).toString('base64url').slice(0, 32);
    const user = await context.adapter.create<{ id: string }>({
      model: 'user',
      data: {
        name: `${prefix}${i}`,
        email,
        emailVerified: true,
        twoFactorEnabled: hasMfa,
        createdAt: now,
        updatedAt: now,
      },
    });
    await context.adapter.create({
      model: 'account',
      data: {
        accountId: user.id,
        providerId: 'credential',
        userId: user.id,
        password: passwordHash,
        createdAt: now,
        updatedAt: now,
      },
    });
    if (hasMfa) {
      await context.adapter.create({
        model: 'twoFactor',
        data: {
          secret: await symmetricEncrypt({ key: context.secretConfig, data: secret }),
          backupCodes,
          userId: user.id,
          verified: true,
        },
      });
    }
    out.push({ email, totpSecret: encodeBase32(Buffer.from(secret, 'utf8')) });
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
  databaseFile: string,
  secret: string,
  port: number,
  pin: boolean,
  logFd: number,
): Promise<RunningServer> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    PORT: String(port),
    PEER_DB: databaseFile,
    PEER_SECRET: secret,
    NODE_ENV: 'production',
  };
  const child = spawnNode([PEER_SERVER], SERVER_CPU, pin, { env, stdio: ['ignore', logFd, logFd] });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(child, async () => (await fetch(`${url}/api/auth/ok`)).ok);
  return { child, url, pid: child.pid! };
}
