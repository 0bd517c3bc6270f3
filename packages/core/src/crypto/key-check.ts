import { createHmac } from 'node:crypto';
import type { Core } from '../context.js';

/** The keys an installation's data depends on, by the variable that sets each. */
export const CHECKED_KEYS = ['JWT_SECRET', 'TOKEN_HASH_KEY', 'ENCRYPTION_KEY'] as const;
export type CheckedKey = (typeof CHECKED_KEYS)[number];

const ROW_OF: Record<CheckedKey, string> = {
  JWT_SECRET: 'jwt',
  TOKEN_HASH_KEY: 'token-hash',
  ENCRYPTION_KEY: 'encryption',
};

/** Says which keys differ from those the database was written with, and what to do. */
export class KeyMismatchError extends Error {
  constructor(readonly keys: readonly CheckedKey[]) {
    super(
      `${keys.join(', ')} ${keys.length === 1 ? 'is not the key' : 'are not the keys'} this database was written with: ` +
        'every instance must use the same keys (set them alike everywhere). To change one on purpose, ' +
        `start once with KEYS_CHANGED=${keys.join(',')}; ENCRYPTION_KEY keeps the old key listed after the new one.`,
    );
    this.name = 'KeyMismatchError';
  }
}

/** A keyed hash of a fixed label: tells keys apart without storing or weakening them. */
const fingerprintOf = (key: Uint8Array, label: string) =>
  createHmac('sha256', key).update(`twofold key fingerprint: ${label}`).digest('hex').slice(0, 32);

/**
 * Before the first request: compares the configured keys with the fingerprints the database
 * keeps, and records them the first time. A session signed, a token hashed or a secret sealed
 * by another instance must be readable by this one, so a different JWT or token-hash key, or
 * an encryption keyring without the key last used to seal, refuses the start (KeyMismatchError)
 * unless `acceptChanged` names it. An encryption key added in front (rotation, the old one
 * still listed) passes, and becomes the one recorded.
 */
export async function checkKeys(core: Core, acceptChanged: readonly CheckedKey[] = []): Promise<void> {
  const { keyring, config } = core;
  const current: Record<CheckedKey, string> = {
    JWT_SECRET: fingerprintOf(config.jwtSecret, 'jwt'),
    TOKEN_HASH_KEY: fingerprintOf(keyring.tokenHashKey, 'token-hash'),
    ENCRYPTION_KEY: keyring.activeKeyId,
  };
  await core.store.transaction(async (tx) => {
    const recorded = new Map((await tx.keyFingerprints.findAll()).map((row) => [row.name, row.fingerprint]));
    const differing = CHECKED_KEYS.filter((key) => {
      const stored = recorded.get(ROW_OF[key]);
      if (stored === undefined || acceptChanged.includes(key)) return false;
      return key === 'ENCRYPTION_KEY' ? !keyring.keys.has(stored) : stored !== current[key];
    });
    if (differing.length > 0) throw new KeyMismatchError(differing);
    for (const key of CHECKED_KEYS) {
      if (recorded.get(ROW_OF[key]) !== current[key]) {
        await tx.keyFingerprints.record({
          name: ROW_OF[key],
          fingerprint: current[key],
          recordedAtMs: core.clock.now(),
        });
      }
    }
  });
}
