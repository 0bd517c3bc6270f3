import type { Core } from '../context.js';
import { DomainError } from '../errors.js';
import type { User } from '../users/find.js';

/**
 * With `REQUIRE_VERIFIED_RECOVERY_EMAIL` (docs/contract.md § Verified addresses), turning MFA on
 * waits for a verified recovery address: reset by email would otherwise trust a mistyped one.
 * Off by default, which keeps the seed's flow. The caller has checked that one is set.
 */
export function assertRecoveryEmailVerifiedIfRequired(core: Core, user: User): void {
  if (!core.config.requireVerifiedRecoveryEmail || !user.recoveryEmail) return;
  if (user.recoveryEmailVerifiedAtMs !== null) return;
  throw new DomainError('RECOVERY_EMAIL_REQUIRED', 'verify the recovery email before enabling MFA', {
    fields: { recovery_email: 'must be verified before enabling MFA' },
  });
}
