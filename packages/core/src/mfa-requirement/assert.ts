import type { Core } from '../context.js';
import { DomainError } from '../errors.js';
import { isMfaEnabled } from '../mfa/factors.js';
import type { User } from '../users/find.js';
import { mfaRequirementOf } from './status.js';

/**
 * Refuses a request of a restricted session (docs/contract.md § Required MFA). Reads the
 * user's factors on every call, so enrolling lifts the restriction on the same session at
 * once; without the setting it reads nothing. Call it outside a transaction.
 */
export async function assertMfaEnrollmentNotRequired(core: Core, user: User): Promise<void> {
  if (core.config.requireMfa === undefined) return;
  const status = mfaRequirementOf(core, user, await isMfaEnabled(core.store, user.id));
  if (status.state === 'enrollment_required') {
    throw new DomainError('MFA_ENROLLMENT_REQUIRED');
  }
}
