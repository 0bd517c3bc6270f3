import { closeSync, fsync, openSync } from 'node:fs';
import type Database from 'better-sqlite3';

/**
 * Group commit. The database runs WAL with `synchronous = NORMAL`: a commit reaches the WAL
 * file but is not fsynced on the event loop (a 1–2 ms stall per write, the largest single
 * cost of a login). Before a response leaves, the server awaits `settleCommits`: one fsync of
 * the WAL, on the thread pool, covers every commit made before it started, however many
 * requests they came from. So an answered write is as durable as with `synchronous = FULL`
 * (which fsyncs the WAL at each commit), at one fsync per batch instead of one per commit.
 */
class DurableCommits {
  private committed = 0;
  private synced = 0;
  private inFlight: Promise<void> | undefined;
  private fd: number | undefined;

  constructor(private readonly walFile: string) {}

  noteCommit(): void {
    this.committed += 1;
  }

  async settle(): Promise<void> {
    const target = this.committed;
    while (this.synced < target) {
      this.inFlight ??= this.syncOnce().finally(() => {
        this.inFlight = undefined;
      });
      await this.inFlight;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private async syncOnce(): Promise<void> {
    // Every commit counted so far is already written to the WAL (commits are synchronous).
    const upTo = this.committed;
    this.fd ??= openSync(this.walFile, 'r');
    const fd = this.fd;
    await new Promise<void>((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));
    this.synced = Math.max(this.synced, upTo);
  }
}

const registry = new WeakMap<Database.Database, DurableCommits>();

/** Switches a WAL database to group commit (see DurableCommits). */
export function enableGroupCommit(sqlite: Database.Database, filename: string): void {
  sqlite.pragma('synchronous = NORMAL');
  registry.set(sqlite, new DurableCommits(`${filename}-wal`));
}

export function noteCommit(sqlite: Database.Database): void {
  registry.get(sqlite)?.noteCommit();
}

/** Resolves once every transaction committed so far on this database is on disk. */
export function settleCommits(sqlite: Database.Database): Promise<void> {
  return registry.get(sqlite)?.settle() ?? Promise.resolve();
}

export function closeGroupCommit(sqlite: Database.Database): void {
  registry.get(sqlite)?.close();
  registry.delete(sqlite);
}
