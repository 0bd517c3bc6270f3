import { availableParallelism } from 'node:os';

/** libuv's thread pool when UV_THREADPOOL_SIZE is unset. */
export const LIBUV_DEFAULT_POOL_SIZE = 4;
/**
 * Pool threads never given to argon2: the group commit's fsync (core db/durable-commits.ts)
 * and file reads must not wait a whole hash for a thread.
 */
const SPARE_POOL_THREADS = 1;

/**
 * How many hashes may run at once: one per core (more only time-slice the same cores and
 * make every login slower), within the pool the process was started with. libuv reads
 * UV_THREADPOOL_SIZE once, when the pool starts, which in an ES module entry point is before
 * any of its code runs: so the pool is sized from the outside (README § Configuration), and
 * this only reads it.
 */
export function slowHashThreadsFor(poolSize: number | undefined, cores = availableParallelism()): number {
  const pool = poolSize ?? LIBUV_DEFAULT_POOL_SIZE;
  return Math.max(1, Math.min(cores, pool - SPARE_POOL_THREADS));
}

/** The UV_THREADPOOL_SIZE that gives every core a hashing thread, for the start-up hint. */
export function recommendedPoolSize(cores = availableParallelism()): number {
  return cores + SPARE_POOL_THREADS;
}
