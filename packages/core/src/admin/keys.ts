import { timingSafeEqual } from 'node:crypto';
import type { Core } from '../context.js';
import { hashToken } from '../crypto/token-hash.js';
import { DomainError } from '../errors.js';
import type { AdminKeyRow } from '../store/repositories/admin-keys.js';
import { type AdminScope, isAdminScope } from './scopes.js';

/** `tfa_<id>_<secret>`: the id is public (named in events), the secret 256 random bits. */
const KEY_PATTERN = /^tfa_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const ID_BYTES = 8;
const SECRET_BYTES = 32;

export interface AdminKey {
  id: string;
  name: string;
  scopes: AdminScope[];
  createdAtMs: number;
  expiresAtMs: number | null;
}

export interface CreateAdminKeyInput {
  name: string;
  scopes: readonly AdminScope[];
  /** Epoch ms; omitted: the key does not expire. */
  expiresAtMs?: number;
}

const toAdminKey = (row: AdminKeyRow): AdminKey => ({
  id: row.id,
  name: row.name,
  scopes: row.scopes.split(' ').filter(isAdminScope),
  createdAtMs: Number(row.createdAtMs),
  expiresAtMs: row.expiresAtMs === null ? null : Number(row.expiresAtMs),
});

/**
 * Creates a key and returns it with its secret, the only time the secret exists in the clear:
 * only its keyed hash (HMAC-SHA-256, as MFA and reset tokens: 256 bits need no slow KDF) is kept.
 */
export async function createAdminKey(
  core: Core,
  input: CreateAdminKeyInput,
): Promise<{ key: string; adminKey: AdminKey }> {
  if (input.name.trim() === '' || input.name.length > 64) throw new Error('a key name is 1 to 64 characters');
  if (input.scopes.length === 0) throw new Error('a key needs at least one scope');
  const id = Buffer.from(core.random.bytes(ID_BYTES)).toString('hex');
  const secret = Buffer.from(core.random.bytes(SECRET_BYTES)).toString('base64url');
  const row: AdminKeyRow = {
    id,
    name: input.name.trim(),
    secretHash: hashToken(core.keyring, secret),
    scopes: [...new Set(input.scopes)].join(' '),
    createdAtMs: core.clock.now(),
    expiresAtMs: input.expiresAtMs ?? null,
  };
  await core.store.transaction((tx) => tx.adminKeys.insert(row));
  return { key: `tfa_${id}_${secret}`, adminKey: toAdminKey(row) };
}

export async function listAdminKeys(core: Core): Promise<AdminKey[]> {
  return (await core.store.adminKeys.list()).map(toAdminKey);
}

/** Deletes a key: requests presenting it are refused from then on. */
export async function revokeAdminKey(core: Core, id: string): Promise<boolean> {
  return core.store.transaction((tx) => tx.adminKeys.delete(id));
}

const refused = () => new DomainError('UNAUTHENTICATED', 'missing, invalid or expired admin key');

/**
 * The key `presented` names, if it is known, its secret matches and it has not expired
 * (401 otherwise, the same answer for each), and if it holds `scope` (403 otherwise).
 */
export async function authenticateAdminKey(
  core: Core,
  presented: string | undefined,
  scope: AdminScope,
): Promise<AdminKey> {
  const match = presented === undefined ? null : KEY_PATTERN.exec(presented);
  if (!match?.[1] || !match[2]) throw refused();
  const row = await core.store.adminKeys.findById(match[1]);
  const presentedHash = Buffer.from(hashToken(core.keyring, match[2]));
  if (!row) throw refused();
  const storedHash = Buffer.from(row.secretHash);
  if (storedHash.length !== presentedHash.length || !timingSafeEqual(storedHash, presentedHash))
    throw refused();
  const key = toAdminKey(row);
  if (key.expiresAtMs !== null && key.expiresAtMs <= core.clock.now()) throw refused();
  if (!key.scopes.includes(scope)) {
    throw new DomainError('INSUFFICIENT_SCOPE', `this admin key lacks the scope ${scope}`);
  }
  return key;
}
