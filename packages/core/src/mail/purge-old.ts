import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Core } from '../context.js';

/** Settled mail (sent, failed or kept) stays this long after it was queued, for the operator to inspect. */
export const MAIL_RETENTION_MS = 30 * 24 * 60 * 60_000;

/** Rows deleted per write transaction: a large backlog never holds the write lock for long. */
export const MAIL_PURGE_BATCH_ROWS = 500;

export interface PurgeOldMailOptions {
  batchRows?: number;
  /** Stops between batches (server shutdown); what is left goes on the next run. */
  signal?: AbortSignal;
}

/**
 * Deletes outbox rows that are sent, failed or kept and were queued more than MAIL_RETENTION_MS
 * ago; a pending row (leased or not) is never touched, however old. Works in batches, each
 * its own short write transaction, and yields to the event loop between them so requests
 * (of this process and others) are served during a long purge. Returns the rows deleted.
 */
export async function purgeOldMail(core: Core, options: PurgeOldMailOptions = {}): Promise<number> {
  const batchRows = Math.max(1, options.batchRows ?? MAIL_PURGE_BATCH_ROWS);
  const cutoff = core.clock.now() - MAIL_RETENTION_MS;
  let deleted = 0;
  while (!options.signal?.aborted) {
    const changes = await core.store.transaction((tx) =>
      tx.outbox.deleteSettled({ createdBefore: cutoff, limit: batchRows }),
    );
    deleted += changes;
    if (changes < batchRows) break;
    await nextTurn();
  }
  return deleted;
}
