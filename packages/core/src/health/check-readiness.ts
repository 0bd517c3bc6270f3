import type { Core } from '../context.js';

export interface Readiness {
  isReady: boolean;
  database: 'reachable' | 'unreachable';
  /** `unknown` when the database could not be asked. */
  migrations: 'applied' | 'pending' | 'unknown';
}

/**
 * Whether this instance can serve requests (docs/contract.md § Running, `GET /readyz`): the
 * database answers and holds every committed migration. Never throws: an unreachable database
 * is an answer here, not a fault.
 */
export async function checkReadiness(core: Core): Promise<Readiness> {
  let pending: number;
  try {
    pending = await core.store.countPendingMigrations();
  } catch {
    return { isReady: false, database: 'unreachable', migrations: 'unknown' };
  }
  const migrations = pending === 0 ? 'applied' : 'pending';
  return { isReady: pending === 0, database: 'reachable', migrations };
}

/** One round trip to the database (`GET /healthz`); rejects when it cannot answer. */
export function pingDatabase(core: Core): Promise<void> {
  return core.store.ping();
}
