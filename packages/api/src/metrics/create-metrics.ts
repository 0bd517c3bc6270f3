import { type Core, type ErrorCode, readMailBacklog } from '@twofold/core';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { LOGIN_PROCEDURES, outcomeOf, SECOND_STEP_PROCEDURES } from './procedure-outcomes.js';

/** Seconds; from a cached read (sub-millisecond) to the slow-hash queue's worst case. */
const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** A store fault code (`SQLITE_BUSY`, `ECONNREFUSED`, a SQLSTATE) as a label; anything else is `other`. */
const STORE_FAULT_CODE = /^[A-Z0-9_]{1,32}$/;

/**
 * Every metric Twofold exports (README § Metrics), on a registry of its own. Observers are
 * called from one place each: the request middleware, the tRPC procedure boundary (which both
 * transports go through), the fault log, and the mail worker.
 */
export interface ApiMetrics {
  readonly registry: Registry;
  /** The bearer token `/metrics` asks for (METRICS_TOKEN). */
  readonly token: string;
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  observeProcedure(path: string, result: { ok: true; data: unknown } | { ok: false; code: ErrorCode }): void;
  observeStoreFault(code: string | undefined): void;
  /** One failed delivery attempt of the mail worker: `retry`, `gave_up` or `rejected`. */
  observeMailFailure(outcome: 'retry' | 'gave_up' | 'rejected'): void;
}

export interface CreateMetricsOptions {
  core: Core;
  token: string;
}

export function createApiMetrics({ core, token }: CreateMetricsOptions): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'twofold_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'twofold_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route template.',
    labelNames: ['method', 'route'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [registry],
  });
  const logins = new Counter({
    name: 'twofold_logins_total',
    help: 'Login attempts (password or passkey), by outcome: success, mfa_required or the error code.',
    labelNames: ['method', 'outcome'] as const,
    registers: [registry],
  });
  const secondSteps = new Counter({
    name: 'twofold_second_steps_total',
    help: 'Second-step attempts (totp, webauthn, recovery_code, email_codes), by outcome.',
    labelNames: ['method', 'outcome'] as const,
    registers: [registry],
  });
  const lockouts = new Counter({
    name: 'twofold_lockouts_total',
    help: 'Attempts refused because a lock was running (429 TOO_MANY_ATTEMPTS), by procedure.',
    labelNames: ['procedure'] as const,
    registers: [registry],
  });
  const storeFaults = new Counter({
    name: 'twofold_database_errors_total',
    help: 'Requests that met a database fault (answered 503), by fault code.',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const mailFailures = new Counter({
    name: 'twofold_mail_failures_total',
    help: 'Failed mail delivery attempts, by what followed: retry, gave_up or rejected.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  // Read at scrape time only: the outbox query runs once per scrape, never per request.
  let backlog: Promise<{ pending: number; oldestPendingAgeSeconds: number } | undefined> | undefined;
  const readBacklogOnce = () => {
    backlog ??= readMailBacklog(core)
      .catch(() => undefined)
      .finally(() => {
        backlog = undefined;
      });
    return backlog;
  };
  new Gauge({
    name: 'twofold_mail_outbox_pending',
    help: 'Emails in the outbox not yet sent or given up.',
    registers: [registry],
    async collect() {
      const read = await readBacklogOnce();
      if (read) this.set(read.pending);
    },
  });
  new Gauge({
    name: 'twofold_mail_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest pending email (0 when none is pending).',
    registers: [registry],
    async collect() {
      const read = await readBacklogOnce();
      if (read) this.set(read.oldestPendingAgeSeconds);
    },
  });
  new Gauge({
    name: 'twofold_slow_hash_queue_running',
    help: 'Password and code hashes (argon2) running now.',
    registers: [registry],
    collect() {
      this.set(core.slowHashes.size.running);
    },
  });
  new Gauge({
    name: 'twofold_slow_hash_queue_waiting',
    help: 'Password and code hashes (argon2) waiting for a thread.',
    registers: [registry],
    collect() {
      this.set(core.slowHashes.size.waiting);
    },
  });

  // The label children, cached by key: prom-client hashes a label object on every call.
  const requestChildren = new Map<
    string,
    { count: ReturnType<typeof requests.labels>; latency: ReturnType<typeof latency.labels> }
  >();

  return {
    registry,
    token,
    observeRequest(method, route, status, seconds) {
      const key = `${method} ${status} ${route}`;
      let children = requestChildren.get(key);
      if (!children) {
        children = {
          count: requests.labels(method, route, String(status)),
          latency: latency.labels(method, route),
        };
        requestChildren.set(key, children);
      }
      children.count.inc();
      children.latency.observe(seconds);
    },
    observeProcedure(path, result) {
      const login = LOGIN_PROCEDURES[path];
      const secondStep = SECOND_STEP_PROCEDURES[path];
      if (login !== undefined) logins.labels(login, outcomeOf(result)).inc();
      else if (secondStep !== undefined) secondSteps.labels(secondStep, outcomeOf(result)).inc();
      if (!result.ok && result.code === 'TOO_MANY_ATTEMPTS') lockouts.labels(path).inc();
    },
    observeStoreFault(code) {
      storeFaults.labels(code !== undefined && STORE_FAULT_CODE.test(code) ? code : 'other').inc();
    },
    observeMailFailure(outcome) {
      mailFailures.labels(outcome).inc();
    },
  };
}
