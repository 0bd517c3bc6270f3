import { count, getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { PgDb } from './postgres/db.js';
import * as pg from './postgres/schema/index.js';
import type { Db } from './sqlite/open.js';
import * as lite from './sqlite/schema/index.js';

/*
 * Moving an installation from the embedded SQLite file to PostgreSQL. This is a copy of tables,
 * not a rule: it is written against both drizzle schemas directly instead of the repositories,
 * which speak in use cases and could neither read every row nor write one as it is.
 */

/** Rows per SELECT and per INSERT: the widest table (outbox, 15 columns) stays far below PostgreSQL's 65,535 parameters. */
const DEFAULT_BATCH_ROWS = 500;

interface TablePair {
  readonly from: SQLiteTable;
  readonly to: PgTable;
}

/**
 * One table in both schemas. The rest parameter only type-checks when a SQLite row, as drizzle
 * reads it, is a PostgreSQL insert as it is and has no column PostgreSQL lacks, so a column added
 * to one schema and not the other stops the build instead of being dropped on the way.
 * (PostgreSQL's identity `seq` is not insertable: it numbers the rows in the order they arrive.)
 */
function pair<S extends SQLiteTable, P extends PgTable>(
  from: S,
  to: P,
  ..._sameColumns: S['$inferSelect'] extends P['$inferInsert']
    ? [Exclude<keyof S['$inferSelect'], keyof P['$inferSelect']>] extends [never]
      ? []
      : [error: 'the SQLite table has a column the PostgreSQL table lacks']
    : [error: 'a SQLite row does not fit the PostgreSQL table']
): TablePair {
  return { from, to };
}

/**
 * Every table, parents before the tables that reference them (users first). Security events
 * and the outbox are read in rowid order, so PostgreSQL's `seq` keeps the order SQLite's rowid
 * gave them (it breaks ties between rows of one millisecond).
 */
const TABLES: readonly TablePair[] = [
  pair(lite.users, pg.users),
  pair(lite.identifiers, pg.identifiers),
  pair(lite.mfaCredentials, pg.mfaCredentials),
  pair(lite.mfaEnrollments, pg.mfaEnrollments),
  pair(lite.recoveryCodes, pg.recoveryCodes),
  pair(lite.recoveryWindows, pg.recoveryWindows),
  pair(lite.mfaTokens, pg.mfaTokens),
  pair(lite.webauthnCredentials, pg.webauthnCredentials),
  pair(lite.webauthnChallenges, pg.webauthnChallenges),
  pair(lite.resetRequests, pg.resetRequests),
  pair(lite.passwordResets, pg.passwordResets),
  pair(lite.emailVerifications, pg.emailVerifications),
  pair(lite.emailChanges, pg.emailChanges),
  pair(lite.failureCounters, pg.failureCounters),
  pair(lite.knownLoginAddresses, pg.knownLoginAddresses),
  pair(lite.sessions, pg.sessions),
  pair(lite.trustedDevices, pg.trustedDevices),
  pair(lite.noticeBudgets, pg.noticeBudgets),
  pair(lite.securityEvents, pg.securityEvents),
  pair(lite.outbox, pg.outbox),
  pair(lite.codeMigrations, pg.codeMigrations),
  pair(lite.keyFingerprints, pg.keyFingerprints),
  pair(lite.signingKeys, pg.signingKeys),
  pair(lite.operatorSettings, pg.operatorSettings),
  pair(lite.adminKeys, pg.adminKeys),
];

/** The tables copied, in the order they are copied. */
export const COPIED_TABLES: readonly string[] = TABLES.map(({ to }) => getTableName(to));

export interface CopyProgress {
  table: string;
  /** Rows of `table` copied so far. */
  copied: number;
  /** Rows `table` holds in the SQLite database. */
  total: number;
}

export interface CopyOptions {
  /** Rows per read and per insert. */
  batchRows?: number;
  /** Called when a table starts (copied 0) and after each batch; the last call of a table has copied = total. */
  onProgress?: (progress: CopyProgress) => void;
}

export interface CopyResult {
  tables: Array<{ table: string; rows: number }>;
}

/** The target already holds rows: copying would mix two installations. */
export class CopyTargetNotEmptyError extends Error {
  constructor(readonly table: string) {
    super(`the target table ${table} already has rows: copy only into an empty, migrated database`);
    this.name = 'CopyTargetNotEmptyError';
  }
}

/**
 * Copies every table of the SQLite database `source` into the migrated, empty PostgreSQL
 * database `target`, in one PostgreSQL transaction: either all of it arrives or none of it.
 * The tables are locked against other writers and checked empty before the first insert.
 * SQLite is read inside one read transaction, so the copy is one consistent snapshot even if
 * something writes meanwhile (stop the server first anyway: what it writes later is not copied).
 * Nothing else may use `source`'s connection until the returned promise settles.
 */
export async function copySqliteToPostgres(
  source: Db,
  target: PgDb,
  options: CopyOptions = {},
): Promise<CopyResult> {
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const sqlite = source.$client;
  sqlite.exec('BEGIN');
  try {
    return await target.transaction(async (tx) => {
      // EXCLUSIVE lets others read but not write until commit, so "empty" stays true while we copy.
      await tx.execute(
        sql`LOCK TABLE ${sql.join(
          TABLES.map(({ to }) => to),
          sql`, `,
        )} IN EXCLUSIVE MODE`,
      );
      for (const { to } of TABLES) {
        const [row] = await tx.select({ one: sql`1` }).from(to).limit(1);
        if (row) throw new CopyTargetNotEmptyError(getTableName(to));
      }
      const tables: CopyResult['tables'] = [];
      for (const { from, to } of TABLES) {
        const table = getTableName(to);
        const total = source.select({ n: count() }).from(from).get()?.n ?? 0;
        options.onProgress?.({ table, copied: 0, total });
        const columns = getTableColumns(from);
        let copied = 0;
        let afterRowid = Number.MIN_SAFE_INTEGER;
        for (;;) {
          // Keyset paging on rowid: each batch is one index range, in insertion order.
          const batch = source
            .select({ ...columns, rowid: sql<number>`rowid` })
            .from(from)
            .where(sql`rowid > ${afterRowid}`)
            .orderBy(sql`rowid`)
            .limit(batchRows)
            .all();
          const last = batch.at(-1);
          if (!last) break;
          afterRowid = last.rowid;
          const rows = batch.map(({ rowid: _rowid, ...row }) => row);
          // pair() proved each SQLite row fits its PostgreSQL table; TABLES forgets the pairing.
          await tx.insert(to).values(rows as PgTable['$inferInsert'][]);
          copied += rows.length;
          options.onProgress?.({ table, copied, total });
        }
        const [landed] = await tx.select({ n: count() }).from(to);
        if (copied !== total || landed?.n !== total) {
          throw new Error(
            `${table}: ${total} rows in SQLite, ${copied} read, ${landed?.n ?? 0} in PostgreSQL`,
          );
        }
        tables.push({ table, rows: total });
      }
      return { tables };
    });
  } finally {
    if (sqlite.inTransaction) sqlite.exec('COMMIT');
  }
}
