import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deriveTokenHashKey } from '@twofold/core';
import { ConfigError } from './config.js';

/** Writes `DATA_DIR/name` with `content` (mode 0600) unless it exists, then reads it. */
function readOrCreateFile(dataDir: string, name: string, content: () => string): string {
  const file = join(dataDir, name);
  if (!existsSync(file)) {
    // 'wx' fails if another process created it meanwhile; then we read theirs.
    try {
      writeFileSync(file, `${content()}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  return readFileSync(file, 'utf8').trim();
}

/** Reads `DATA_DIR/name`, creating it with fresh random bytes (mode 0600) the first time. */
function readOrCreateSecret(dataDir: string, name: string, bytes: number): string {
  return readOrCreateFile(dataDir, name, () => randomBytes(bytes).toString('hex'));
}

function decodeKey(value: string, name: string): Uint8Array {
  const trimmed = value.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (bytes.length !== 32) throw new ConfigError(`${name} must be 32 bytes, as 64 hex digits or base64`);
  return new Uint8Array(bytes);
}

const octal = (mode: number) => `0${mode.toString(8)}`;

export interface DataDirCheck {
  /** The mode DATA_DIR had when it was open to others and was tightened to 0700. */
  tightenedFrom?: string;
}

/**
 * DATA_DIR holds the database and the keys: only its owner may enter it. One made earlier
 * with broader permissions is tightened to 0700; a shared directory (sticky bit, as /tmp,
 * or owned by someone else) is refused rather than changed under its other users.
 */
export function secureDataDir(dataDir: string): DataDirCheck {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Windows has no POSIX modes to tighten.
  if (process.platform === 'win32') return {};
  const stat = statSync(dataDir);
  const mode = stat.mode & 0o7777;
  if ((mode & 0o077) === 0) return {};
  const isShared = (mode & 0o1000) !== 0 || stat.uid !== process.getuid?.();
  if (isShared) {
    throw new ConfigError(
      `DATA_DIR ${dataDir} is a shared directory (mode ${octal(mode)}): give the server a directory of its own (mode 0700)`,
    );
  }
  chmodSync(dataDir, 0o700);
  return { tightenedFrom: octal(mode) };
}

export interface Secrets {
  jwtSecret: Uint8Array;
  encryptionKeys: Uint8Array[];
  tokenHashKey: Uint8Array;
}

export interface SecretSettings {
  jwtSecret?: string | undefined;
  encryptionKey?: string | undefined;
  tokenHashKey?: string | undefined;
}

/** Settings from the environment win; otherwise keys are read from DATA_DIR, made there the first time. */
export function loadSecrets(dataDir: string, settings: SecretSettings = {}): Secrets {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const jwt = settings.jwtSecret ?? readOrCreateSecret(dataDir, 'jwt-secret', 32);
  const keys = settings.encryptionKey ?? readOrCreateSecret(dataDir, 'encryption-key', 32);
  const encryptionKeys = keys
    .split(',')
    .map((key, i) => decodeKey(key, i === 0 ? 'ENCRYPTION_KEY' : `ENCRYPTION_KEY[${i}]`));
  const [activeKey] = encryptionKeys;
  if (!activeKey) throw new ConfigError('ENCRYPTION_KEY must name at least one key');
  // The first value is what earlier versions derived from the active encryption key, so
  // tokens hashed before the upgrade (live MFA tokens, reset requests) still match.
  const tokenHashKey = settings.tokenHashKey
    ? decodeKey(settings.tokenHashKey, 'TOKEN_HASH_KEY')
    : decodeKey(
        readOrCreateFile(dataDir, 'token-hash-key', () =>
          Buffer.from(deriveTokenHashKey(activeKey)).toString('hex'),
        ),
        'DATA_DIR/token-hash-key',
      );
  return { jwtSecret: new Uint8Array(Buffer.from(jwt, 'utf8')), encryptionKeys, tokenHashKey };
}
