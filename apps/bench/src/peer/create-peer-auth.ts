import { scrypt } from 'node:crypto';
import { betterAuth } from 'better-auth';
import { verifyPassword } from 'better-auth/crypto';
import { twoFactor } from 'better-auth/plugins/two-factor';
import Database from 'better-sqlite3';

/**
 * The peer: better-auth with email + password and the twoFactor plugin, on better-sqlite3.
 * WAL + synchronous = FULL gives it Twofold's durability (every answered write on disk; we get
 * there by group commit, which better-auth cannot do). Everything else is better-auth's
 * default (scrypt N=16384 r=16 p=1 for passwords).
 */
export const PEER_PASSWORD_HASH = 'scrypt N=16384 r=16 p=1 dkLen=64 (better-auth default, node:crypto)';

/**
 * Setup-only password hashes (`setup$salt$key`, scrypt N=1024): the thousands of users whose
 * challenges W1 consumes log in once before the window, which at the real cost would take
 * many minutes. Users of the password workload (W2) carry real better-auth hashes.
 */
const SETUP_HASH_PREFIX = 'setup$';
const SETUP_SCRYPT = { N: 1024, r: 8, p: 1 } as const;
const KEY_BYTES = 64;

function scryptHex(password: string, salt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, SETUP_SCRYPT, (error, key) =>
      error ? reject(error) : resolve(key.toString('hex')),
    );
  });
}

export async function setupPasswordHash(password: string): Promise<string> {
  const salt = 'bench-setup-salt';
  return `${SETUP_HASH_PREFIX}${salt}$${await scryptHex(password, salt)}`;
}

async function verifyPeerPassword({ hash, password }: { hash: string; password: string }) {
  if (!hash.startsWith(SETUP_HASH_PREFIX)) return verifyPassword({ hash, password });
  const [salt, key] = hash.slice(SETUP_HASH_PREFIX.length).split('$');
  return salt !== undefined && key !== undefined && (await scryptHex(password, salt)) === key;
}

export interface PeerAuthOptions {
  databaseFile: string;
  baseUrl: string;
  secret: string;
  /** `OFF` for the setup connection only (seeding is not measured). */
  synchronous?: 'FULL' | 'OFF';
}

export function createPeerAuth(options: PeerAuthOptions) {
  const sqlite = new Database(options.databaseFile);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  const auth = betterAuth({
    database: sqlite,
    baseURL: options.baseUrl,
    secret: options.secret,
    trustedOrigins: [options.baseUrl],
    emailAndPassword: { enabled: true, password: { verify: verifyPeerPassword } },
    plugins: [twoFactor({ issuer: 'Bench' })],
    // Twofold has no request-rate limiter (only lockouts), so neither does the peer.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    logger: { disabled: true },
  });
  const close = () => {
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    sqlite.close();
  };
  return { auth, close };
}

export type PeerAuth = ReturnType<typeof createPeerAuth>['auth'];
