import type { Core, Tx } from '@twofold/core';
import { type SeedMfaUser, seedMfaUsers } from '@twofold/core/testing';

/**
 * What `seedMfaUsers` would write, without writing it: it runs against a transaction that only
 * records the rows it is given, so the rows, the ids and the sealed TOTP secrets are exactly
 * its own. The bench then bulk-loads them (multi-row INSERTs), far faster than one INSERT per
 * row through the repositories (`sqlite-seed.ts`, `postgres-seed.ts`).
 */

export type Row = Readonly<Record<string, unknown>>;

/** The repositories `seedMfaUsers` writes through, and the table each writes to. */
export const CAPTURED = [
  { repository: 'users', table: 'users' },
  { repository: 'identifiers', table: 'identifiers' },
  { repository: 'totpCredentials', table: 'mfa_credentials' },
  { repository: 'provenLogins', table: 'known_login_addresses' },
] as const;
export type CapturedRepository = (typeof CAPTURED)[number]['repository'];

function capturingTx(rows: Record<CapturedRepository, Row[]>): Tx {
  const repositories: Record<CapturedRepository, Record<string, (arg: never) => Promise<void>>> = {
    users: {
      insert: async (user: Parameters<Tx['users']['insert']>[0]) => void rows.users.push(user),
    },
    identifiers: {
      claim: async (claims: Parameters<Tx['identifiers']['claim']>[0]) =>
        void rows.identifiers.push(...claims.map((claim) => ({ ...claim }))),
    },
    totpCredentials: {
      insert: async (credential: Parameters<Tx['totpCredentials']['insert']>[0]) =>
        void rows.totpCredentials.push({ ...credential }),
    },
    provenLogins: {
      remember: async ({ userId, address, nowMs }: Parameters<Tx['provenLogins']['remember']>[0]) =>
        void rows.provenLogins.push({ userId, address, lastLoginAtMs: nowMs }),
    },
  };
  // Any other call means seedMfaUsers changed: fail loudly rather than drop rows.
  const strict = <T extends object>(target: T, what: string): T =>
    new Proxy(target, {
      get(object, name) {
        if (typeof name !== 'string' || name in object) return Reflect.get(object, name);
        throw new Error(
          `bench bulk seed: seedMfaUsers used ${what}.${String(name)}, which it does not capture`,
        );
      },
    });
  const tx = Object.fromEntries(
    Object.entries(repositories).map(([name, methods]) => [name, strict(methods, `tx.${name}`)]),
  );
  return strict(tx, 'tx') as unknown as Tx;
}

/**
 * The rows `seedMfaUsers(core, seeds)` would write, by repository (parents first in `CAPTURED`);
 * `uuid`, when given, hands out the user ids instead of the core's random source.
 */
export async function captureSeedRows(
  core: Core,
  seeds: readonly SeedMfaUser[],
  uuid?: () => string,
): Promise<Record<CapturedRepository, Row[]>> {
  const rows: Record<CapturedRepository, Row[]> = {
    users: [],
    identifiers: [],
    totpCredentials: [],
    provenLogins: [],
  };
  const tx = capturingTx(rows);
  const recording: Core = {
    ...core,
    ...(uuid ? { random: { ...core.random, uuid } } : {}),
    store: { ...core.store, transaction: <T>(fn: (t: Tx) => Promise<T>): Promise<T> => fn(tx) },
  };
  await seedMfaUsers(recording, seeds);
  return rows;
}
