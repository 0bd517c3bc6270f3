import type { Logger } from '@twofold/api';
import { type Core, purgeOldMail } from '@twofold/core';

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
  const intervalMs = options.intervalMs ?? OUTBOX_PURGE_INTERVAL_MS;
  const stopController = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();

  function runOnce(): Promise<number> {
    const run = inFlight.then(async () => {
      if (stopController.signal.aborted) return 0;
      const deleted = await purgeOldMail(core, { signal: stopController.signal });
      if (deleted > 0) logger.info('outbox_purged', { deleted });
      return deleted;
    });
    inFlight = run.catch(() => undefined);
    return run;
  }

  function schedule(delayMs: number): void {
    if (stopController.signal.aborted) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((error: unknown) => {
          // A database error (e.g. busy for too long): log it and try again next interval.
          const inner = error instanceof Error ? { errorName: error.name, errorMessage: error.message } : {};
          logger.error('outbox_purge_error', inner);
        })
        .finally(() => schedule(intervalMs));
    }, delayMs);
    timer.unref();
  }

  return {
    runOnce,
    start() {
      if (timer === undefined) schedule(0);
    },
    async stop() {
      stopController.abort();
      clearTimeout(timer);
      await inFlight;
    },
  };
}
