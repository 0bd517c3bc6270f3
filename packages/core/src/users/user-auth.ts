import { eq, sql } from 'drizzle-orm';
import type { Core } from '../context.js';
import { preparedPerDb } from '../db/prepared.js';
import { mfaCredentials } from '../db/schema/index.js';
import { type SessionProofs, signSessionToken } from '../session/jwt.js';
import type { User } from './find.js';
import type { TUserAuth } from './schemas.js';

const queries = preparedPerDb((db) => ({
  credentialOf: db
    .select({ userId: mfaCredentials.userId })
    .from(mfaCredentials)
    .where(eq(mfaCredentials.userId, sql.placeholder('userId')))
    .prepare(),
}));

export function isMfaEnabled(core: Core, userId: string): boolean {
  return queries(core.db).credentialOf.get({ userId }) !== undefined;
}

/**
 * Profile fields of UserAuth, without a token (for `me`). `mfa` may be passed by a caller
 * that has just read the user's credential, to save reading it again.
 */
export function toUserProfile(
  core: Core,
  user: User,
  mfa: boolean = isMfaEnabled(core, user.id),
): Omit<TUserAuth, 'token'> {
  return {
    id: user.id,
    origin: 'local',
    user: user.username,
    name: user.name,
    email: user.email,
    recovery_email: user.recoveryEmail ?? '',
    mfa,
    admin: user.isAdmin,
  };
}

/**
 * Logs the user in: a session JWT carrying the user's current session version and the
 * proofs this login made (docs/contract.md § Re-authentication).
 */
export async function issueUserAuth(
  core: Core,
  user: User,
  proofs: SessionProofs,
  mfa: boolean = isMfaEnabled(core, user.id),
): Promise<TUserAuth> {
  const token = await signSessionToken(core, {
    userId: user.id,
    sessionVersion: user.sessionVersion,
    proofs,
  });
  return { token, ...toUserProfile(core, user, mfa) };
}
