import type { Core } from '../context.js';
import { findUserById, type User } from '../users/find.js';
import { updateUser } from '../users/update.js';
import { TEST_META } from './factories.js';
import { freshSession } from './fresh-session.js';

/** The user, with a recovery email set first if it had none: a first second factor needs one. */
export async function withRecoveryEmail(core: Core, userId: string): Promise<User> {
  const user = await findUserById(core.store, userId);
  if (!user) throw new Error(`no user ${userId}`);
  if (user.recoveryEmail) return user;
  await updateUser(
    core,
    freshSession(core, user),
    { recovery_email: `recovery-${user.username}@example.test` },
    TEST_META,
  );
  const updated = await findUserById(core.store, userId);
  if (!updated) throw new Error(`no user ${userId}`);
  return updated;
}
