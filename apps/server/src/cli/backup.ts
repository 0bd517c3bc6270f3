import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BackupTargetExistsError, backupSqliteDatabase } from '@twofold/core';
import { DATABASE_FILE } from '../open-store.js';
import { CliError, type CliOutput } from './output.js';

export interface BackupCommandOptions {
  dataDir: string;
  /** Set: the installation is on PostgreSQL, which this command does not copy. */
  databaseUrl: string | undefined;
  force: boolean;
}

/** The key files of DATA_DIR that open what the database holds (apps/server/src/secrets.ts). */
const KEY_FILES = ['jwt-secret', 'encryption-key', 'token-hash-key'] as const;

/** Lines of progress at most: one per tenth of the copy. */
const PROGRESS_STEPS = 10;

/**
 * `twofold backup <file>`: a consistent copy of the embedded SQLite database while the server
 * runs (README § Backups). The keys are not in it: it says where they are, never what they are.
 */
export async function runBackup(file: string, options: BackupCommandOptions, out: CliOutput): Promise<void> {
  if (options.databaseUrl !== undefined) {
    throw new CliError(
      'DATABASE_URL is set: this installation is on PostgreSQL; back it up with pg_dump (README § Backups)',
    );
  }
  const source = join(options.dataDir, DATABASE_FILE);
  if (!existsSync(source)) throw new CliError(`no database at ${source}: set DATA_DIR or --data-dir`);
  const target = resolve(file);
  if (!existsSync(resolve(target, '..'))) throw new CliError(`the folder of ${target} does not exist`);
  out.info(`backing up ${source} to ${target}`);
  let reported = -1;
  try {
    const result = await backupSqliteDatabase(source, target, {
      overwrite: options.force,
      onProgress({ totalPages, remainingPages }) {
        const done = totalPages === 0 ? 1 : (totalPages - remainingPages) / totalPages;
        const step = Math.floor(done * PROGRESS_STEPS);
        if (step === reported) return;
        reported = step;
        out.info(`  ${Math.round(done * 100)} % (${totalPages - remainingPages} of ${totalPages} pages)`);
      },
    });
    out.info(`done: ${target} (${result.bytes} bytes, checked)`);
  } catch (error) {
    if (error instanceof BackupTargetExistsError) {
      throw new CliError(`${target} exists: choose another file, or pass --force to replace it`);
    }
    throw error;
  }
  const keys = KEY_FILES.map((name) => join(options.dataDir, name)).filter((path) => existsSync(path));
  out.info(
    keys.length > 0
      ? `not in the backup: the keys (${keys.join(', ')}); back them up apart, a restore cannot open the data without them`
      : 'not in the backup: the keys (JWT_SECRET, ENCRYPTION_KEY, TOKEN_HASH_KEY from the environment); keep them apart, a restore needs them',
  );
}
