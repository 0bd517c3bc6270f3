import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import type { Core, RequestMeta } from '../context.js';
import { DomainError } from '../errors.js';
import { addressThrottleSubject } from '../throttle/address-subject.js';

/**
 * argon2id at OWASP's minimum (m = 19 MiB, t = 2, p = 1). Runs on libuv's thread pool,
 * so hashing never blocks the event loop.
 */
export const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** argon2id's cost parameters: memory in KiB, passes, lanes. */
export interface Argon2Cost {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * Hashes one client address may have admitted (running and waiting) at once: ten recovery
 * attempts of six hashes, or 64 logins (a NAT's worth of parallel clients). Past it that
 * address gets 503, never a longer wait.
 */
export const SLOW_HASH_MAX_PENDING_PER_ADDRESS = 64;
/**
 * Hashes waiting in all, whoever sent them: the bound on the queue (docs/contract.md § Bounded
 * work). Eight full addresses' worth; at a few tens of ms a hash, seconds of work at most.
 */
export const SLOW_HASH_MAX_WAITING = 512;
/** `Retry-After` of a 503 from a full queue: a hash takes tens of milliseconds, the queue drains fast. */
export const SLOW_HASH_RETRY_AFTER_SECONDS = 1;
/**
 * Hashes running at once when the composition root does not say: libuv's default pool has 4
 * threads, and one stays free for the group commit's fsync (db/durable-commits.ts).
 */
const DEFAULT_MAX_RUNNING = 3;

export interface SlowHashLimits {
  /** Hashes running at once (thread-pool threads given to hashing). */
  maxRunning: number;
  /**
   * Hashes one address may run at once. One below `maxRunning`, so a flood from one address
   * always leaves a thread for everyone else.
   */
  maxRunningPerAddress: number;
  maxPendingPerAddress: number;
  maxWaiting: number;
}

/** The limits for `threads` hashing threads (at least 1). */
export function slowHashLimitsFor(threads: number = Math.min(DEFAULT_MAX_RUNNING, availableParallelism())) {
  const maxRunning = Math.max(1, Math.floor(threads));
  return {
    maxRunning,
    maxRunningPerAddress: Math.max(1, maxRunning - 1),
    maxPendingPerAddress: SLOW_HASH_MAX_PENDING_PER_ADDRESS,
    maxWaiting: SLOW_HASH_MAX_WAITING,
  } satisfies SlowHashLimits;
}

interface Job {
  work: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** One client address's hashes (an IPv6 /64 counts as one address, as in the throttles). */
interface Lane {
  subject: string;
  running: number;
  waiting: Job[];
}

const pendingOf = (lane: Lane) => lane.running + lane.waiting.length;

/**
 * A bounded, fair queue in front of argon2. Each request admits all its hashes at once or
 * none (503 SERVICE_UNAVAILABLE with Retry-After): a request never starts work it may not
 * finish, and a refusal costs nothing and counts as no failure.
 *
 * Lightest first: a free thread goes to the address with the least work admitted (ties
 * round-robin), and an address never starts a hash while one with more or less work is
 * hashing. So a flood from one address never holds every thread, never has a new hash start
 * beside another client's, and that client's login waits for no queue, at most for the rest
 * of one hash of the flood's.
 */
export class SlowHashQueue {
  private readonly lanes = new Map<string, Lane>();
  /** Lanes with hashes waiting, in round-robin order. */
  private readonly ready: Lane[] = [];
  private running = 0;
  private waiting = 0;
  private dummyHash: Promise<string> | undefined;

  /** `cost`: of new hashes; a verification takes the cost written in the hash it checks. */
  constructor(
    readonly limits: SlowHashLimits,
    readonly cost: Argon2Cost = ARGON2_OPTIONS,
  ) {}

  /** A hash of nothing anyone knows, at this queue's cost, made once. */
  dummy(): Promise<string> {
    this.dummyHash ??= hash('twofold-dummy-password-for-timing', this.cost);
    return this.dummyHash;
  }

  /** Runs `works` (each one hash) for the client of `meta`, or throws SERVICE_UNAVAILABLE at once. */
  run<T>(meta: RequestMeta, works: readonly (() => Promise<T>)[]): Promise<T[]> {
    const subject = addressThrottleSubject(meta.clientAddress);
    const lane = this.lanes.get(subject) ?? { subject, running: 0, waiting: [] };
    if (
      pendingOf(lane) + works.length > this.limits.maxPendingPerAddress ||
      this.waiting + works.length > this.limits.maxWaiting
    ) {
      return Promise.reject(
        new DomainError('SERVICE_UNAVAILABLE', 'too many requests are being checked; try again shortly', {
          retryAfterSeconds: SLOW_HASH_RETRY_AFTER_SECONDS,
        }),
      );
    }
    this.lanes.set(subject, lane);
    const results = works.map(
      (work) =>
        new Promise<T>((resolve, reject) => {
          lane.waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
        }),
    );
    this.waiting += works.length;
    if (!this.ready.includes(lane)) this.ready.push(lane);
    this.pump();
    return Promise.all(results);
  }

  /** Hashes running and waiting now (for tests and metrics). */
  get size(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting };
  }

  private pump(): void {
    while (this.running < this.limits.maxRunning) {
      const lane = this.nextReadyLane();
      if (!lane) return;
      const job = lane.waiting.shift();
      if (!job) continue;
      this.waiting -= 1;
      // Back of the line: the next free thread goes to the next address.
      if (lane.waiting.length > 0) this.ready.push(lane);
      lane.running += 1;
      this.running += 1;
      // A work that throws at once rejects like one that fails later, and frees its thread.
      new Promise((resolve) => resolve(job.work())).then(job.resolve, job.reject).finally(() => {
        lane.running -= 1;
        this.running -= 1;
        if (lane.running === 0 && lane.waiting.length === 0) this.lanes.delete(lane.subject);
        this.pump();
      });
    }
  }

  /**
   * Takes the lightest ready lane below its per-address cap out of the ring, if no address
   * with more or less work is hashing: hashes run side by side only for addresses with equal
   * work (argon2 is memory-bound, and two at once each run up to twice as long or more, so a
   * login beside a flood's hash would pay for it).
   */
  private nextReadyLane(): Lane | undefined {
    let index = -1;
    for (const [i, lane] of this.ready.entries()) {
      if (lane.running >= this.limits.maxRunningPerAddress) continue;
      if (index < 0 || pendingOf(lane) < pendingOf(this.ready[index] as Lane)) index = i;
    }
    const lane = this.ready[index];
    if (!lane) return undefined;
    for (const other of this.lanes.values()) {
      if (other !== lane && other.running > 0 && pendingOf(other) !== pendingOf(lane)) return undefined;
    }
    this.ready.splice(index, 1);
    return lane;
  }
}

/** Hashes `secrets` (one result each, in order) for the client of `meta` (see SlowHashQueue). */
export function slowHash<const S extends readonly string[]>(
  core: Core,
  meta: RequestMeta,
  secrets: S,
): Promise<{ [K in keyof S]: string }> {
  const { cost } = core.slowHashes;
  const works = secrets.map((secret) => () => hash(secret, cost));
  return core.slowHashes.run(meta, works) as Promise<{ [K in keyof S]: string }>;
}

type HashAndSecret = readonly [hashed: string, secret: string];

/** Verifies each `[hash, secret]` pair (a malformed hash is a mismatch); a full queue is a 503. */
export function slowVerify<const P extends readonly HashAndSecret[]>(
  core: Core,
  meta: RequestMeta,
  pairs: P,
): Promise<{ [K in keyof P]: boolean }> {
  const works = pairs.map(([hashed, secret]) => async () => {
    try {
      return await verify(hashed, secret);
    } catch {
      return false;
    }
  });
  return core.slowHashes.run(meta, works) as Promise<{ [K in keyof P]: boolean }>;
}

/** A hash of nothing anyone knows: verified against when a user does not exist, so timing matches. */
export function dummySlowHash(core: Core): Promise<string> {
  return core.slowHashes.dummy();
}
