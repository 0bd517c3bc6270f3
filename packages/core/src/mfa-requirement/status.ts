import type { Core } from '../context.js';
import type { User } from '../users/find.js';
import { DAY_MS } from './policy.js';

/**
 * Where a user stands with the operator's requirement (docs/contract.md § Required MFA):
 * `met` (no requirement, or a second factor is on), `grace` (may still work without one until
 * `graceEndsAtMs`), or `enrollment_required` (a restricted session that can only enrol).
 */
export type MfaRequirementStatus =
  | { state: 'met' }
  | { state: 'grace'; graceEndsAtMs: number }
  | { state: 'enrollment_required' };

/**
 * Pure: the caller has read `isMfaOn`. Only users created before the requirement began get
 * the grace period; a user registering under it enrols right away.
 */
export function mfaRequirementOf(core: Core, user: User, isMfaOn: boolean): MfaRequirementStatus {
  const requirement = core.config.requireMfa;
  if (requirement === undefined || isMfaOn) return { state: 'met' };
  const graceEndsAtMs = requirement.sinceMs + requirement.graceDays * DAY_MS;
  if (user.createdAtMs < requirement.sinceMs && core.clock.now() < graceEndsAtMs) {
    return { state: 'grace', graceEndsAtMs };
  }
  return { state: 'enrollment_required' };
}
