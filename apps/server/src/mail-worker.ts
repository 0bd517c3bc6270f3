import type { ApiMetrics, Logger } from '@twofold/api';
import {
  type ClaimedMail,
  type Core,
  claimDueMail,
  MAIL_SEND_TIMEOUT_MS,
  markMailFailed,
  markMailSent,
} from '@twofold/core';
import { describeSendFailure, type MailTransport } from './smtp-transport.js';

/** How often the production loop looks for due mail (real time; due-ness uses the core clock). */
export const MAIL_POLL_INTERVAL_MS = 1_000;
/** On shutdown, the email in flight gets this long to finish before its send is aborted. */
export const MAIL_STOP_GRACE_MS = 10_000;

export interface MailWorkerOptions {
  core: Core;
  transport: MailTransport;
  logger: Logger;
  pollIntervalMs?: number;
  stopGraceMs?: number;
  /** Counts failed attempts (README § Metrics) when metrics are on. */
  metrics?: Pick<ApiMetrics, 'observeMailFailure'> | undefined;
}

export type MailAttemptOutcome =
  | 'idle'
  | 'sent'
  | 'retry'
  | 'gave-up'
  | 'rejected'
  | 'lease-lost'
  | 'stopped';

export interface MailWorker {
  /** Lease id of this worker in the outbox. */
  readonly owner: string;
  /** Claims and sends at most one due email. */
  runOnce(): Promise<MailAttemptOutcome>;
  /** Sends every email due now (by the core clock), one at a time, until none is left. */
  drain(): Promise<number>;
  /** Starts the polling loop (production). */
  start(): void;
  /** Stops polling and lets the email in flight finish (aborted after the grace period). */
  stop(): Promise<void>;
}

/**
 * Delivers the outbox: lease one due row, hand it to SMTP, record the outcome. Leases make
 * several processes on one database safe; every decision uses the core clock and random.
 */
export function createMailWorker(options: MailWorkerOptions): MailWorker {
  const { core, transport, logger, metrics } = options;
  const pollIntervalMs = options.pollIntervalMs ?? MAIL_POLL_INTERVAL_MS;
  const stopGraceMs = options.stopGraceMs ?? MAIL_STOP_GRACE_MS;
  const owner = core.random.uuid();
  const stopController = new AbortController();
  let isStopping = false;
  let timer: NodeJS.Timeout | undefined;
  // Attempts run one at a time in a process; `tail` is the one in flight, if any.
  let tail: Promise<unknown> = Promise.resolve();

  async function deliver(mail: ClaimedMail): Promise<MailAttemptOutcome> {
    const fields = { mailId: mail.id, kind: mail.kind, attempt: mail.attempts };
    const signal = AbortSignal.any([AbortSignal.timeout(MAIL_SEND_TIMEOUT_MS), stopController.signal]);
    try {
      await transport.send({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html }, signal);
    } catch (error) {
      const { errorCode, ...failure } = describeSendFailure(error);
      // Core decides retry, give up or reject; the worker only reports what SMTP said.
      const result = await markMailFailed(core, mail.id, owner, failure);
      if (result.outcome !== 'lease-lost') {
        metrics?.observeMailFailure(result.outcome === 'gave-up' ? 'gave_up' : result.outcome);
      }
      if (result.outcome === 'retry') {
        const retryInSeconds = Math.round((result.nextAttemptAtMs - core.clock.now()) / 1000);
        logger.info('mail_retry_scheduled', { ...fields, errorCode, retryInSeconds });
      } else if (result.outcome === 'gave-up') {
        logger.error('mail_failed', { ...fields, errorCode });
      } else if (result.outcome === 'rejected') {
        logger.error('mail_failed', { ...fields, errorCode, permanent: true });
      } else {
        logger.error('mail_lease_lost', fields);
      }
      return result.outcome;
    }
    if (!(await markMailSent(core, mail.id, owner))) {
      logger.error('mail_lease_lost', fields);
      return 'lease-lost';
    }
    logger.info('mail_sent', fields);
    return 'sent';
  }

  async function attemptOne(): Promise<MailAttemptOutcome> {
    if (isStopping) return 'stopped';
    const { claimed, givenUp } = await claimDueMail(core, { owner });
    for (const row of givenUp) {
      logger.error('mail_failed', { mailId: row.id, kind: row.kind, reason: row.reason });
      metrics?.observeMailFailure('gave_up');
    }
    const [mail] = claimed;
    return mail ? deliver(mail) : 'idle';
  }

  function runOnce(): Promise<MailAttemptOutcome> {
    const attempt = tail.then(attemptOne);
    tail = attempt.catch(() => undefined);
    return attempt;
  }

  async function drain(): Promise<number> {
    let attempted = 0;
    for (;;) {
      const outcome = await runOnce();
      if (outcome === 'idle' || outcome === 'stopped') return attempted;
      attempted += 1;
    }
  }

  function schedule(delayMs: number): void {
    if (isStopping) return;
    timer = setTimeout(() => {
      drain()
        .catch((error: unknown) => {
          // A database error (e.g. busy for too long): log it and poll again; rows stay queued.
          const inner = error instanceof Error ? { errorName: error.name, errorMessage: error.message } : {};
          logger.error('mail_worker_error', inner);
        })
        .finally(() => schedule(pollIntervalMs));
    }, delayMs);
  }

  return {
    owner,
    runOnce,
    drain,
    start() {
      if (timer === undefined) schedule(0);
    },
    async stop() {
      isStopping = true;
      clearTimeout(timer);
      const grace = setTimeout(() => stopController.abort(new Error('mail worker stopping')), stopGraceMs);
      try {
        await tail;
      } finally {
        clearTimeout(grace);
      }
    },
  };
}
