import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, linkSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';

/** Pages copied per step (4 KiB each): steps between which progress is reported. */
const PAGES_PER_STEP = 1_000;
/** "All remaining pages" for sqlite3_backup_step (better-sqlite3 takes no negative count). */
const ALL_PAGES = 0x7fff_ffff;
/** How long the copy waits for the server's write lock before SQLITE_BUSY, as the server itself. */
const BUSY_TIMEOUT_MS = 5_000;

export interface BackupProgress {
  totalPages: number;
  remainingPages: number;
}

export interface BackupOptions {
  /** Replace a file already at the target; otherwise the backup refuses it. */
  overwrite?: boolean;
  onProgress?: (progress: BackupProgress) => void;
}

export interface BackupResult {
  pages: number;
  bytes: number;
}

/** The target exists and overwriting was not asked for. */
export class BackupTargetExistsError extends Error {}

/**
 * Copies a live SQLite database into `targetFile` with SQLite's online backup API, while the
 * server on it keeps writing: the copy is one consistent snapshot. Writes from another
 * connection restart a backup copied in steps; after a restart the rest goes in one step,
 * which reads one snapshot (WAL readers never block the writer), so a busy server cannot
 * starve it. The copy is checked (`quick_check`), made self-contained (rollback journal, no
 * -wal file) and moved into place only when complete; it is created with mode 0600, since it
 * holds password hashes and sealed secrets.
 */
export async function backupSqliteDatabase(
  sourceFile: string,
  targetFile: string,
  options: BackupOptions = {},
): Promise<BackupResult> {
  if (!options.overwrite && existsSync(targetFile)) {
    throw new BackupTargetExistsError(`${targetFile} exists; choose another file or overwrite it on purpose`);
  }
  const source = new Database(sourceFile, { fileMustExist: true });
  const partial = `${targetFile}.partial-${randomBytes(6).toString('hex')}`;
  try {
    source.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    closeSync(openSync(partial, 'wx', 0o600));
    let lowestRemaining = Number.POSITIVE_INFINITY;
    const { totalPages } = await source.backup(partial, {
      progress(progress) {
        options.onProgress?.(progress);
        const restarted = progress.remainingPages > lowestRemaining;
        lowestRemaining = Math.min(lowestRemaining, progress.remainingPages);
        return restarted ? ALL_PAGES : PAGES_PER_STEP;
      },
    });
    options.onProgress?.({ totalPages, remainingPages: 0 });
    const copy = new Database(partial, { fileMustExist: true });
    try {
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy failed its check: ${String(check)}`);
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    if (options.overwrite) renameSync(partial, targetFile);
    else {
      // Fails if the target appeared meanwhile: never replaces a file without being asked.
      linkSync(partial, targetFile);
      rmSync(partial);
    }
    return { pages: totalPages, bytes: statSync(targetFile).size };
  } finally {
    source.close();
    rmSync(partial, { force: true });
    rmSync(`${partial}-wal`, { force: true });
    rmSync(`${partial}-shm`, { force: true });
  }
}
