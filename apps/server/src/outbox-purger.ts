import type { Logger } from '@twofold/api';
import { type Core, purgeOldMail } from '@twofold/core';
import { createPeriodicJob } from './periodic-job.js';

/** How often settled mail past its retention is deleted (real time; age uses the core clock). */
const OUTBOX_PURGE_INTERVAL_MS = 60 * 60_000;

export interface OutboxPurgerOptions {
  core: Core;
  logger: Logger;
  intervalMs?: number;
}

export interface OutboxPurger {
  /** Deletes settled mail past retention now; resolves with the number of rows deleted. */
  runOnce(): Promise<number>;
  /** Purges now, then every interval. The timer never keeps the process alive. */
  start(): void;
  /** Stops the timer; a purge in progress ends after its current batch. */
  stop(): Promise<void>;
}

/**
 * Keeps the outbox from growing forever: runs core's `purgeOldMail` at start and then
 * periodically, with or without SMTP (the development mailbox reads the same table).
 * Several processes may purge one database: deleting is idempotent.
 */
export function createOutboxPurger(options: OutboxPurgerOptions): OutboxPurger {
  const { core, logger } = options;
  const job = createPeriodicJob({
    logger,
    intervalMs: options.intervalMs ?? OUTBOX_PURGE_INTERVAL_MS,
    errorEvent: 'outbox_purge_error',
    async run(signal) {
      const deleted = await purgeOldMail(core, { signal });
      if (deleted > 0) logger.info('outbox_purged', { deleted });
      return deleted;
    },
  });
  return { ...job, runOnce: async () => (await job.runOnce()) ?? 0 };
}
