import type { Core, RequestMeta } from '../context.js';
import type { Tx } from '../store/store.js';
import { eraseAccount } from './erase.js';
import { findUserById } from './find.js';
import { isReleasable } from './release-policy.js';

/**
 * Removes the account if it is still releasable once its row is locked (a login or a
 * verification may have kept it meanwhile); answers whether it did.
 */
export async function releaseIfReleasable(
  core: Core,
  tx: Tx,
  userId: string,
  meta: RequestMeta | undefined,
): Promise<boolean> {
  await tx.users.lock(userId);
  const user = await findUserById(tx, userId);
  if (!user || !isReleasable(user, core.clock.now())) return false;
  await eraseAccount(core, tx, user.id, 'account_released', meta);
  return true;
}
