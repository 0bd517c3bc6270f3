import { createHash } from 'node:crypto';

/** AES-256-GCM keys by id; `activeKeyId` seals new data, the others only open old data. */
export interface Keyring {
  activeKeyId: string;
  keys: ReadonlyMap<string, Uint8Array>;
  /**
   * Key for HMAC-SHA256 of high-entropy tokens. Its own setting, not derived from the
   * encryption keys, so rotating those leaves live tokens and throttle subjects intact.
   */
  tokenHashKey: Uint8Array;
}

const KEY_BYTES = 32;

/** A short fingerprint of the key, stored beside each ciphertext to pick the key for opening. */
export function keyIdOf(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

/** Builds a keyring from raw 32-byte keys; the first encryption key is the active one. */
export function createKeyring(encryptionKeys: readonly Uint8Array[], tokenHashKey: Uint8Array): Keyring {
  const [active] = encryptionKeys;
  if (!active) throw new Error('at least one encryption key is required');
  const keys = new Map<string, Uint8Array>();
  for (const key of encryptionKeys) {
    if (key.length !== KEY_BYTES) throw new Error(`encryption keys must be ${KEY_BYTES} bytes`);
    keys.set(keyIdOf(key), key);
  }
  if (tokenHashKey.length !== KEY_BYTES) throw new Error(`the token-hash key must be ${KEY_BYTES} bytes`);
  return { activeKeyId: keyIdOf(active), keys, tokenHashKey };
}
