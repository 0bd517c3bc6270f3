import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type CoreConfig, createCore } from '../context.js';
import { openTestCore, type StoreTestCore } from '../testing/index.js';
import { checkKeys, KeyMismatchError } from './key-check.js';

let t: StoreTestCore;
afterEach(() => t.close());

const key = () => new Uint8Array(randomBytes(32));
/** Another instance on the same database, with `overrides` in place of the first one's keys. */
const instance = (overrides: Partial<CoreConfig>) =>
  createCore({ store: t.store, clock: t.clock, config: { ...t.config, ...overrides } });

describe('keys checked against the database at start', () => {
  it('records them the first time and passes every instance with the same keys', async () => {
    t = await openTestCore();
    await checkKeys(t.core);
    await checkKeys(instance({}));
    await checkKeys(t.core);
  });

  it('refuses an instance with another JWT or token-hash key, naming each', async () => {
    t = await openTestCore();
    await checkKeys(t.core);
    await expect(checkKeys(instance({ jwtSecret: key() }))).rejects.toThrow(
      /^JWT_SECRET is not the key this database was written with/,
    );
    const both = await checkKeys(instance({ jwtSecret: key(), tokenHashKey: key() })).catch(
      (e: unknown) => e,
    );
    expect(both).toBeInstanceOf(KeyMismatchError);
    expect((both as KeyMismatchError).keys).toEqual(['JWT_SECRET', 'TOKEN_HASH_KEY']);
    // The refused instance changed nothing: the first one still passes.
    await checkKeys(t.core);
  });

  it('takes a rotated encryption key listed before the old one, then refuses a keyring without it', async () => {
    t = await openTestCore();
    await checkKeys(t.core);
    const [old] = t.config.encryptionKeys;
    if (!old) throw new Error('a key');
    const rotated = key();
    await checkKeys(instance({ encryptionKeys: [rotated, old] }));
    // The rotated key seals now: an instance with only the old one could not open what it seals.
    await expect(checkKeys(t.core)).rejects.toThrow(/^ENCRYPTION_KEY is not the key/);
    await expect(checkKeys(instance({ encryptionKeys: [key()] }))).rejects.toBeInstanceOf(KeyMismatchError);
  });

  it('accepts a key changed on purpose when it is named, and holds the others to the new one', async () => {
    t = await openTestCore();
    await checkKeys(t.core);
    const jwtSecret = key();
    await checkKeys(instance({ jwtSecret }), ['JWT_SECRET']);
    await checkKeys(instance({ jwtSecret }));
    await expect(checkKeys(t.core)).rejects.toThrow(/JWT_SECRET/);
  });
});
