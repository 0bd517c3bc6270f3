import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config.js';

/** Reads `DATA_DIR/name`, creating it with fresh random bytes (mode 0600) the first time. */
function readOrCreateSecret(dataDir: string, name: string, bytes: number): string {
  const file = join(dataDir, name);
  if (!existsSync(file)) {
    // 'wx' fails if another process created it meanwhile; then we read theirs.
    try {
      writeFileSync(file, `${randomBytes(bytes).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  return readFileSync(file, 'utf8').trim();
}

export function decodeKey(value: string, name: string): Uint8Array {
  const trimmed = value.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (bytes.length !== 32) throw new ConfigError(`${name} must be 32 bytes, as 64 hex digits or base64`);
  return new Uint8Array(bytes);
}

export interface Secrets {
  jwtSecret: Uint8Array;
  encryptionKeys: Uint8Array[];
}

export function loadSecrets(dataDir: string, jwtSecret?: string, encryptionKey?: string): Secrets {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const jwt = jwtSecret ?? readOrCreateSecret(dataDir, 'jwt-secret', 32);
  const keys = encryptionKey ?? readOrCreateSecret(dataDir, 'encryption-key', 32);
  return {
    jwtSecret: new Uint8Array(Buffer.from(jwt, 'utf8')),
    encryptionKeys: keys
      .split(',')
      .map((key, i) => decodeKey(key, i === 0 ? 'ENCRYPTION_KEY' : `ENCRYPTION_KEY[${i}]`)),
  };
}
