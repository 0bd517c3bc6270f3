import { rememberRegistrationAddress } from '../auth/proven-login.js';
import type { Core } from '../context.js';
import { seal } from '../crypto/seal.js';
import { claimIdentifiers } from '../users/identifiers.js';

export interface SeedMfaUser {
  username: string;
  email: string;
  /** PHC string of the password (any argon2 parameters: verify reads them from the string). */
  passwordHash: string;
  /** Base32 TOTP secret stored, sealed, as the user's enabled MFA credential; omit for no MFA. */
  totpSecret?: string;
  recoveryEmail?: string;
  /**
   * The client address the user registered from: registration remembers it (docs/contract.md
   * § Notices), so a later login from there is no new client. Omit for an account never seen.
   */
  registeredFrom?: string;
}

/** Rows per transaction: large enough to amortise the commit, small enough to bound memory. */
const SEED_BATCH_ROWS = 5_000;

/**
 * Bulk-inserts users straight into the database, bypassing registration and enrollment
 * (each of which runs a slow KDF), for benchmarks and tests that need many accounts.
 * Returns the new user ids in input order.
 */
export async function seedMfaUsers(core: Core, seeds: readonly SeedMfaUser[]): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < seeds.length; start += SEED_BATCH_ROWS) {
    const batch = seeds.slice(start, start + SEED_BATCH_ROWS);
    await core.store.transaction(async (tx) => {
      for (const seed of batch) {
        const id = core.random.uuid();
        const now = core.clock.now();
        await tx.users.insert({
          id,
          username: seed.username,
          email: seed.email,
          name: seed.username,
          passwordHash: seed.passwordHash,
          recoveryEmail: seed.recoveryEmail ?? null,
          isAdmin: false,
          createdAtMs: now,
          disabledAtMs: null,
          emailVerifiedAtMs: null,
          recoveryEmailVerifiedAtMs: null,
          // Seeded accounts stand for ones in use: housekeeping must not release them.
          firstLoginAtMs: now,
        });
        await claimIdentifiers(tx, { id, username: seed.username, email: seed.email });
        if (seed.totpSecret !== undefined) {
          const sealed = seal(core.keyring, seed.totpSecret, { purpose: 'totp-secret', userId: id });
          await tx.totpCredentials.insert({
            userId: id,
            secretCiphertext: sealed.ciphertext,
            keyId: sealed.keyId,
            lastTimeStep: 0,
            enabledAtMs: now,
          });
        }
        if (seed.registeredFrom !== undefined) {
          await rememberRegistrationAddress(core, tx, id, { clientAddress: seed.registeredFrom });
        }
        ids.push(id);
      }
    });
  }
  return ids;
}
