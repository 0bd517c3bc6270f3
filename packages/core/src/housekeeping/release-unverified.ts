import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Core } from '../context.js';
import { releaseIfReleasable } from '../users/release.js';
import { releasableCreatedBefore } from '../users/release-policy.js';

/**
 * Removes the accounts that released their address (users/release.ts), a batch of ids at a time
 * and each account in a short transaction of its own. Answers how many went.
 */
export async function releaseUnverifiedAccounts(
  core: Core,
  options: { batchRows: number; signal?: AbortSignal | undefined },
): Promise<number> {
  let released = 0;
  while (!options.signal?.aborted) {
    const ids = await core.store.users.findReleasable({
      createdBeforeMs: releasableCreatedBefore(core.clock.now()),
      limit: options.batchRows,
    });
    let releasedInBatch = 0;
    for (const id of ids) {
      if (await core.store.transaction((tx) => releaseIfReleasable(core, tx, id, undefined)))
        releasedInBatch += 1;
    }
    released += releasedInBatch;
    // A batch that released fewer than it found holds accounts kept meanwhile: the next run sees them.
    if (ids.length < options.batchRows || releasedInBatch < ids.length) break;
    await nextTurn();
  }
  return released;
}
