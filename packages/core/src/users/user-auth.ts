import { eq } from 'drizzle-orm';
import type { Core } from '../context.js';
import { mfaCredentials } from '../db/schema/index.js';
import { signSessionToken } from '../session/jwt.js';
import type { User } from './find.js';
import type { TUserAuth } from './schemas.js';

export function isMfaEnabled(core: Core, userId: string): boolean {
  const row = core.db
    .select({ userId: mfaCredentials.userId })
    .from(mfaCredentials)
    .where(eq(mfaCredentials.userId, userId))
    .get();
  return row !== undefined;
}

/** Profile fields of UserAuth, without a token (for `me`). */
export function toUserProfile(core: Core, user: User): Omit<TUserAuth, 'token'> {
  return {
    id: user.id,
    origin: 'local',
    user: user.username,
    name: user.name,
    email: user.email,
    recovery_email: user.recoveryEmail ?? '',
    mfa: isMfaEnabled(core, user.id),
    admin: user.isAdmin,
  };
}

/** Logs the user in: a fresh session JWT carrying the user's current session version. */
export async function issueUserAuth(core: Core, user: User): Promise<TUserAuth> {
  const token = await signSessionToken(core, { userId: user.id, sessionVersion: user.sessionVersion });
  return { token, ...toUserProfile(core, user) };
}
