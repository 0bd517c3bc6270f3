import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id at OWASP's minimum (m = 19 MiB, t = 2, p = 1). Runs on libuv's thread pool,
 * so hashing never blocks the event loop.
 */
export const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Hashes in flight at once. libuv's thread pool has 4 threads and also runs the group
 * commit's fsync (db/durable-commits.ts): with every thread busy hashing, a login's second
 * step would wait a whole hash for its fsync. Capping at 3 keeps one thread free, and
 * bounds the memory of concurrent hashes (3 × 19 MiB).
 */
const MAX_CONCURRENT_HASHES = 3;
let running = 0;
const waiting: (() => void)[] = [];

async function limited<T>(work: () => Promise<T>): Promise<T> {
  // A finishing hash hands its slot straight to the next waiter, so `running` never overshoots.
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  else running += 1;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

export function slowHash(secret: string): Promise<string> {
  return limited(() => hash(secret, ARGON2_OPTIONS));
}

export async function slowVerify(hashed: string, secret: string): Promise<boolean> {
  try {
    return await limited(() => verify(hashed, secret));
  } catch {
    return false;
  }
}

/** A hash of nothing anyone knows: verified against when a user does not exist, so timing matches. */
let dummyHash: Promise<string> | undefined;
export function dummySlowHash(): Promise<string> {
  dummyHash ??= hash('twofold-dummy-password-for-timing', ARGON2_OPTIONS);
  return dummyHash;
}
