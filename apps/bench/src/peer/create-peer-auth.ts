import { scrypt } from 'node:crypto';
import { betterAuth } from 'better-auth';
import { verifyPassword } from 'better-auth/crypto';
import { twoFactor } from 'better-auth/plugins/two-factor';
import Database from 'better-sqlite3';
import pg from 'pg';
import { quoteIdentifier } from '../setup/postgres-schema.js';

/**
 * The peer: better-auth with email + password and the twoFactor plugin, on better-sqlite3 or
 * on PostgreSQL through its own Kysely adapter (a `pg` Pool, as its PostgreSQL docs show).
 * SQLite: WAL + synchronous = FULL gives it Twofold's durability (every answered write on disk;
 * we get there by group commit, which better-auth cannot do). PostgreSQL: its default
 * synchronous_commit = on, as the `twofold-pg` side runs (COMMIT answers once durable).
 * Everything else is better-auth's default (scrypt N=16384 r=16 p=1 for passwords).
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

/** Where the peer keeps its data: a SQLite file, or a schema of a PostgreSQL database. */
export type PeerDatabase =
  | { dialect: 'sqlite'; file: string }
  | { dialect: 'postgres'; url: string; schemaName: string };

export interface PeerAuthOptions {
  database: PeerDatabase;
  baseUrl: string;
  secret: string;
  /**
   * `OFF` for the setup connection only (seeding is not measured): SQLite's `synchronous`,
   * PostgreSQL's `synchronous_commit` (`FULL` leaves it at its default, on).
   */
  synchronous?: 'FULL' | 'OFF';
  /** PostgreSQL pool size; default 10, as Twofold's server (DATABASE_POOL_SIZE). */
  maxConnections?: number;
}

/** The peer's PostgreSQL pool and schema, for the setup's bulk writes. */
export interface PeerPostgres {
  pool: pg.Pool;
  schemaName: string;
}

interface OpenedDatabase {
  database: Database.Database | pg.Pool;
  postgres: PeerPostgres | undefined;
  close(): Promise<void>;
}

function openDatabase(options: PeerAuthOptions): OpenedDatabase {
  const { database } = options;
  if (database.dialect === 'postgres') {
    const settings = [`-c search_path=${quoteIdentifier(database.schemaName)}`];
    if (options.synchronous === 'OFF') settings.push('-c synchronous_commit=off');
    // better-auth finds its tables (and getMigrations its schema) through the search_path.
    const pool = new pg.Pool({
      connectionString: database.url,
      max: options.maxConnections ?? 10,
      options: settings.join(' '),
    });
    // An idle connection the server dropped must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    return {
      database: pool,
      postgres: { pool, schemaName: database.schemaName },
      close: () => pool.end(),
    };
  }
  const sqlite = new Database(database.file);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  return {
    database: sqlite,
    postgres: undefined,
    close: async () => {
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
      sqlite.close();
    },
  };
}

export function createPeerAuth(options: PeerAuthOptions) {
  const { database, postgres, close } = openDatabase(options);
  const auth = betterAuth({
    database,
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
  return { auth, postgres, close };
}

export type PeerAuth = ReturnType<typeof createPeerAuth>['auth'];
