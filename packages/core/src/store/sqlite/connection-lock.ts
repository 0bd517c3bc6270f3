import { resolve } from 'node:path';

/**
 * One SQLite connection serves every request, so a transaction that awaits between its
 * statements must keep other requests' statements off the connection until it ends: they
 * would otherwise run inside it. This lock admits one holder at a time, in arrival order.
 * Uncontended, `tryAcquire` takes it without a promise (the hot path of every request).
 */
export class ConnectionLock {
  private held = false;
  private readonly waiters: Array<() => void> = [];

  get isHeld(): boolean {
    return this.held;
  }

  tryAcquire(): boolean {
    if (this.held) return false;
    this.held = true;
    return true;
  }

  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Hands the lock to the next waiter, if any, without letting a newcomer in between. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }
}

/**
 * Stores opened on one file in one process (tests, a CLI beside the server's core) share a
 * lock: with one each, a transaction awaiting on one connection would hold SQLite's write
 * lock while the other's BEGIN IMMEDIATE blocked the thread they share until the busy timeout.
 */
const sharedLocks = new Map<string, { lock: ConnectionLock; users: number }>();

export function lockOf(filename: string): ConnectionLock {
  if (filename === ':memory:' || filename === '') return new ConnectionLock();
  const key = resolve(filename);
  const shared = sharedLocks.get(key) ?? { lock: new ConnectionLock(), users: 0 };
  shared.users += 1;
  sharedLocks.set(key, shared);
  return shared.lock;
}

export function releaseLockOf(filename: string, lock: ConnectionLock): void {
  const key = resolve(filename);
  const shared = sharedLocks.get(key);
  if (!shared || shared.lock !== lock) return;
  shared.users -= 1;
  if (shared.users === 0) sharedLocks.delete(key);
}
