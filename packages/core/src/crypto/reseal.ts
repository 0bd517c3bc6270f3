import { and, asc, eq, gt, isNotNull, notLike } from 'drizzle-orm';
import type { Core } from '../context.js';
import type { Db } from '../db/open.js';
import { codeMigrations, mfaCredentials, mfaEnrollments, outbox } from '../db/schema/index.js';
import { type Tx, writeTransaction } from '../db/transaction.js';
import { openUnbound, type SealContext, type Sealed, seal } from './seal.js';

/** The name recorded in `code_migrations` once every unbound ciphertext was re-sealed. */
export const BIND_CIPHERTEXTS_MIGRATION = 'bind-ciphertexts-to-purpose';

/** Rows re-sealed per transaction: a crash loses at most one batch's work, never a row. */
const RESEAL_BATCH_ROWS = 100;

const UNBOUND = 'v2:%';

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
  /** Unbound rows after `after` in key order. */
  read(db: Db, after: string): UnboundRow[];
  /** Replaces the ciphertext only where it is still `from`, so a row changed meanwhile is left alone. */
  write(tx: Tx, row: UnboundRow, to: Sealed): boolean;
}

const totpTarget = (table: typeof mfaCredentials | typeof mfaEnrollments): Target => ({
  read: (db, after) =>
    db
      .select({ userId: table.userId, ciphertext: table.secretCiphertext, keyId: table.keyId })
      .from(table)
      .where(and(gt(table.userId, after), notLike(table.secretCiphertext, UNBOUND)))
      .orderBy(asc(table.userId))
      .limit(RESEAL_BATCH_ROWS)
      .all()
      .map((r) => ({
        key: r.userId,
        sealed: { ciphertext: r.ciphertext, keyId: r.keyId },
        context: { purpose: 'totp-secret', userId: r.userId },
      })),
  write: (tx, row, to) =>
    tx
      .update(table)
      .set({ secretCiphertext: to.ciphertext, keyId: to.keyId })
      .where(and(eq(table.userId, row.key), eq(table.secretCiphertext, row.sealed.ciphertext)))
      .run().changes === 1,
});

const outboxTarget: Target = {
  read: (db, after) =>
    db
      .select({
        id: outbox.id,
        recipient: outbox.recipient,
        ciphertext: outbox.payloadCiphertext,
        keyId: outbox.keyId,
      })
      .from(outbox)
      .where(
        and(
          gt(outbox.id, after),
          isNotNull(outbox.payloadCiphertext),
          isNotNull(outbox.keyId),
          notLike(outbox.payloadCiphertext, UNBOUND),
        ),
      )
      .orderBy(asc(outbox.id))
      .limit(RESEAL_BATCH_ROWS)
      .all()
      .map((r) => ({
        key: r.id,
        sealed: { ciphertext: r.ciphertext ?? '', keyId: r.keyId ?? '' },
        context: { purpose: 'outbox-mail', mailId: r.id, recipient: r.recipient },
      })),
  write: (tx, row, to) =>
    tx
      .update(outbox)
      .set({ payloadCiphertext: to.ciphertext, keyId: to.keyId })
      .where(and(eq(outbox.id, row.key), eq(outbox.payloadCiphertext, row.sealed.ciphertext)))
      .run().changes === 1,
};

function hasRun(db: Db): boolean {
  return (
    db.select().from(codeMigrations).where(eq(codeMigrations.name, BIND_CIPHERTEXTS_MIGRATION)).get() !==
    undefined
  );
}

/**
 * Start-up code migration: seals every ciphertext written before ciphertexts were bound to
 * their purpose (TOTP secrets, pending enrollments, outbox bodies) again, with associated
 * data, in batches of one transaction each. Safe to stop at any point and run again; once it
 * has run to the end it is recorded and never runs again, so an unbound ciphertext copied
 * into a row later (from an old backup) is never bound to that row: it just never opens.
 */
export function resealUnboundCiphertexts(core: Core): ResealResult {
  const result: ResealResult = { resealed: 0, unreadable: 0 };
  if (hasRun(core.db)) return result;
  for (const target of [totpTarget(mfaCredentials), totpTarget(mfaEnrollments), outboxTarget]) {
    let after = '';
    for (;;) {
      const batch = writeTransaction(core.db, (tx) => {
        const rows = target.read(core.db, after);
        for (const row of rows) {
          let plaintext: string;
          try {
            plaintext = openUnbound(core.keyring, row.sealed);
          } catch {
            result.unreadable += 1;
            continue;
          }
          if (target.write(tx, row, seal(core.keyring, plaintext, row.context))) result.resealed += 1;
        }
        return rows;
      });
      const last = batch.at(-1);
      if (!last || batch.length < RESEAL_BATCH_ROWS) break;
      after = last.key;
    }
  }
  writeTransaction(core.db, (tx) => {
    tx.insert(codeMigrations)
      .values({ name: BIND_CIPHERTEXTS_MIGRATION, completedAt: core.clock.now() })
      .onConflictDoNothing()
      .run();
  });
  return result;
}
