import type { Core } from '../context.js';

/**
 * Records a delivery and wipes the sealed body (it may hold a reset code); the metadata
 * stays. Returns false when `owner` no longer holds the row.
 */
export function markMailSent(core: Core, id: string, owner: string): Promise<boolean> {
  const nowMs = core.clock.now();
  return core.store.transaction((tx) => tx.outbox.markSent({ id, owner, nowMs }));
}
