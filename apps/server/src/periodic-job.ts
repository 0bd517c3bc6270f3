import type { Logger } from '@twofold/api';

export interface PeriodicJobOptions<T> {
  logger: Logger;
  intervalMs: number;
  /** Logged with the error's name and message when a run fails; the next interval tries again. */
  errorEvent: string;
  /** One run; `signal` aborts on stop, so a batched run ends after its current batch. */
  run(signal: AbortSignal): Promise<T>;
}

export interface PeriodicJob<T> {
  /** Runs now (after any run in progress); undefined once stopped. */
  runOnce(): Promise<T | undefined>;
  /** Runs now, then every interval. The timer never keeps the process alive. */
  start(): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * The background chores of a server process (purging old mail, housekeeping): one run at a
 * time, now and then every interval, and a failed run (e.g. the database busy for too long)
 * logged and retried at the next one.
 */
export function createPeriodicJob<T>(options: PeriodicJobOptions<T>): PeriodicJob<T> {
  const { logger, intervalMs, errorEvent } = options;
  const stopController = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();

  function runOnce(): Promise<T | undefined> {
    const run = inFlight.then(() =>
      stopController.signal.aborted ? undefined : options.run(stopController.signal),
    );
    inFlight = run.catch(() => undefined);
    return run;
  }

  function schedule(delayMs: number): void {
    if (stopController.signal.aborted) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((error: unknown) => {
          const inner = error instanceof Error ? { errorName: error.name, errorMessage: error.message } : {};
          logger.error(errorEvent, inner);
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
