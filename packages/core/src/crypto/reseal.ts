import type { Core } from '../context.js';
import type { CiphertextChange, UnboundQuery } from '../store/repositories/code-migrations.js';
import type { Tx } from '../store/store.js';
import { openUnbound, type SealContext, type Sealed, seal } from './seal.js';

/** The name recorded in `code_migrations` once every unbound ciphertext was re-sealed. */
export const BIND_CIPHERTEXTS_MIGRATION = 'bind-ciphertexts-to-purpose';

/** Rows re-sealed per transaction: a crash loses at most one batch's work, never a row. */
const RESEAL_BATCH_ROWS = 100;

/** What seal.ts writes ahead of a ciphertext bound with associated data. */
const BOUND_PREFIX = 'v2:';

export interface ResealResult {
  /** Rows now sealed with associated data (under the active key). */
  resealed: number;
  /** Rows that did not open (key no longer configured, or damaged): left as they were, they never open. */
  unreadable: number;
}

interface UnboundRow {
  /** Primary key, for keyset paging. */
  key: string;
  sealed: Sealed;
  context: SealContext;
}

interface Target {
  /** Unbound rows after `query.after` in key order. */
  read(tx: Tx, query: UnboundQuery): Promise<UnboundRow[]>;
  /** Replaces the ciphertext only where it is still the one read, so a row changed meanwhile is left alone. */
  write(tx: Tx, key: string, change: CiphertextChange): Promise<boolean>;
}

const totpTarget = (table: 'totp-credentials' | 'enrollments'): Target => ({
  read: async (tx, query) =>
    (await tx.codeMigrations.findUnboundSecrets(table, query)).map((r) => ({
      key: r.userId,
      sealed: { ciphertext: r.ciphertext, keyId: r.keyId },
      context: { purpose: 'totp-secret', userId: r.userId },
    })),
  write: (tx, userId, change) => tx.codeMigrations.replaceSecret(table, userId, change),
});

const outboxTarget: Target = {
  read: async (tx, query) =>
    (await tx.codeMigrations.findUnboundMailBodies(query)).map((r) => ({
      key: r.id,
      sealed: { ciphertext: r.ciphertext, keyId: r.keyId },
      context: { purpose: 'outbox-mail', mailId: r.id, recipient: r.recipient },
    })),
  write: (tx, id, change) => tx.codeMigrations.replaceMailBody(id, change),
};

/**
 * Start-up code migration: seals every ciphertext written before ciphertexts were bound to
 * their purpose (TOTP secrets, pending enrollments, outbox bodies) again, with associated
 * data, in batches of one transaction each. Safe to stop at any point and run again; once it
 * has run to the end it is recorded and never runs again, so an unbound ciphertext copied
 * into a row later (from an old backup) is never bound to that row: it just never opens.
 */
export async function resealUnboundCiphertexts(core: Core): Promise<ResealResult> {
  const result: ResealResult = { resealed: 0, unreadable: 0 };
  if (await core.store.codeMigrations.hasCompleted(BIND_CIPHERTEXTS_MIGRATION)) return result;
  for (const target of [totpTarget('totp-credentials'), totpTarget('enrollments'), outboxTarget]) {
    let after = '';
    for (;;) {
      const query = { after, limit: RESEAL_BATCH_ROWS, boundPrefix: BOUND_PREFIX };
      // AES-GCM on a hundred rows is fast: it runs inside the batch's transaction.
      const batch = await core.store.transaction(async (tx) => {
        const rows = await target.read(tx, query);
        for (const row of rows) {
          let plaintext: string;
          try {
            plaintext = openUnbound(core.keyring, row.sealed);
          } catch {
            result.unreadable += 1;
            continue;
          }
          const to = seal(core.keyring, plaintext, row.context);
          const change = {
            fromCiphertext: row.sealed.ciphertext,
            ciphertext: to.ciphertext,
            keyId: to.keyId,
          };
          if (await target.write(tx, row.key, change)) result.resealed += 1;
        }
        return rows;
      });
      const last = batch.at(-1);
      if (!last || batch.length < RESEAL_BATCH_ROWS) break;
      after = last.key;
    }
  }
  await core.store.transaction((tx) =>
    tx.codeMigrations.recordCompleted({ name: BIND_CIPHERTEXTS_MIGRATION, completedAtMs: core.clock.now() }),
  );
  return result;
}
