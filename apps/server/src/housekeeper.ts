import type { Logger } from '@twofold/api';
import { type Core, type PurgeCounts, purgeExpired } from '@twofold/core';
import { createPeriodicJob } from './periodic-job.js';

/** How often expired rows are deleted (real time; what counts as expired uses the core clock). */
const HOUSEKEEPING_INTERVAL_MS = 60 * 60_000;

export interface HousekeeperOptions {
  core: Core;
  logger: Logger;
  /** `SECURITY_EVENTS_RETENTION_DAYS`. */
  securityEventsRetentionDays: number;
  intervalMs?: number;
}

export interface Housekeeper {
  /** Purges now; resolves with the rows deleted per kind. */
  runOnce(): Promise<PurgeCounts | undefined>;
  /** Purges now, then every interval. The timer never keeps the process alive. */
  start(): void;
  /** Stops the timer; a purge in progress ends after its current batch. */
  stop(): Promise<void>;
}

/**
 * Keeps the tables of expiring things from growing forever (docs/contract.md § Housekeeping):
 * runs core's `purgeExpired` at start and then periodically, like the outbox purger. Several
 * processes may run it on one database: deleting is idempotent.
 */
export function createHousekeeper(options: HousekeeperOptions): Housekeeper {
  const { core, logger, securityEventsRetentionDays } = options;
  return createPeriodicJob({
    logger,
    intervalMs: options.intervalMs ?? HOUSEKEEPING_INTERVAL_MS,
    errorEvent: 'housekeeping_error',
    async run(signal) {
      const deleted = await purgeExpired(core, { securityEventsRetentionDays, signal });
      const nonZero = Object.fromEntries(Object.entries(deleted).filter(([, n]) => n > 0));
      if (Object.keys(nonZero).length > 0) logger.info('housekeeping_purged', nonZero);
      return deleted;
    },
  });
}
