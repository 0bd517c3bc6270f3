import type { Core } from '../context.js';
import { isMfaEnabled } from '../mfa/factors.js';
import { DAY_MS } from '../mfa-requirement/policy.js';
import { type MfaRequirementStatus, mfaRequirementOf } from '../mfa-requirement/status.js';
import { type SessionProofs, signSessionToken } from '../session/jwt.js';
import type { User } from './find.js';
import type { TUserAuth } from './schemas.js';

/**
 * Profile fields of UserAuth, without a token (for `me`). `mfa` may be passed by a caller
 * that has just read the user's factors, to save reading them again. Without it, this reads
 * `core.store`: call it outside a transaction.
 */
export async function toUserProfile(
  core: Core,
  user: User,
  mfa?: boolean,
): Promise<Omit<TUserAuth, 'token'>> {
  const isMfaOn = mfa ?? (await isMfaEnabled(core.store, user.id));
  return {
    id: user.id,
    origin: 'local',
    user: user.username,
    name: user.name,
    email: user.email,
    recovery_email: user.recoveryEmail ?? '',
    mfa: isMfaOn,
    admin: user.isAdmin,
    ...requirementFields(core, mfaRequirementOf(core, user, isMfaOn)),
  };
}

/** docs/contract.md § Required MFA: what the client needs to walk the user through enrolment. */
function requirementFields(core: Core, status: MfaRequirementStatus): Partial<TUserAuth> {
  if (status.state === 'met') return {};
  if (status.state === 'enrollment_required') return { mfa_enrollment_required: true };
  return {
    mfa_enrollment_required: false,
    mfa_enrollment_due_at_seconds: Math.floor(status.graceEndsAtMs / 1000),
    mfa_enrollment_days_left: Math.ceil((status.graceEndsAtMs - core.clock.now()) / DAY_MS),
  };
}

/**
 * Logs the user in: a session JWT naming the server-side session (`startSession`, written in
 * the login's transaction) and carrying the proofs this login made (docs/contract.md §
 * Re-authentication, § Sessions). Without `mfa`, this reads `core.store`: call it outside a
 * transaction.
 */
export async function issueUserAuth(
  core: Core,
  user: User,
  sessionId: string,
  proofs: SessionProofs,
  mfa?: boolean,
): Promise<TUserAuth> {
  const token = await signSessionToken(core, { userId: user.id, sessionId, proofs });
  return { token, ...(await toUserProfile(core, user, mfa)) };
}
