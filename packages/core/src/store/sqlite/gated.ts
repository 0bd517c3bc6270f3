import type { AsyncLocalStorage } from 'node:async_hooks';
import type { ConnectionLock } from './connection-lock.js';

/**
 * The store's repositories outside a transaction: each call waits while a transaction holds
 * the connection (it would otherwise read that transaction's uncommitted rows, or write into
 * it). With `insideTransaction` (tests only: it costs on every promise), a call made from
 * inside a transaction throws instead of deadlocking on the lock it is waiting for.
 */
export function gated<R extends object>(
  repository: R,
  lock: ConnectionLock,
  insideTransaction: AsyncLocalStorage<true> | undefined,
): R {
  const out: Record<string, unknown> = {};
  for (const name of methodNames(repository)) {
    const method = (repository as Record<string, (...args: unknown[]) => Promise<unknown>>)[name];
    if (typeof method !== 'function') continue;
    const call = method.bind(repository);
    out[name] = (...args: unknown[]) => {
      if (insideTransaction?.getStore()) {
        return Promise.reject(new Error(`store.${name} called inside a transaction: use its tx`));
      }
      // A SQLite repository runs its statement before its promise is returned, so a free
      // connection needs no lock: nothing else can run in between.
      if (!lock.isHeld) return call(...args);
      return lock.acquire().then(() => runHolding(lock, call, args));
    };
  }
  return out as R;
}

async function runHolding(
  lock: ConnectionLock,
  call: (...args: unknown[]) => Promise<unknown>,
  args: unknown[],
): Promise<unknown> {
  try {
    return await call(...args);
  } finally {
    lock.release();
  }
}

function methodNames(object: object): string[] {
  const names = new Set<string>(Object.keys(object));
  for (
    let proto = Object.getPrototypeOf(object);
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      // Methods only: reading an accessor (a repository's lazy `q`) would run it now, before migrations.
      const isMethod = typeof Object.getOwnPropertyDescriptor(proto, name)?.value === 'function';
      if (name !== 'constructor' && isMethod) names.add(name);
    }
  }
  return [...names];
}
