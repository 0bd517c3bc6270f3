/**
 * What housekeeping deletes (housekeeping/purge-expired.ts decides the cutoffs):
 * - `mfa-tokens`, `mfa-enrollments`, `webauthn-challenges`, `recovery-windows`, `reset-requests`,
 *   `sessions`, `trusted-devices`, `password-resets`, `email-verifications`: rows that ended at or before the cutoff (epoch ms: a row whose end is now is over, as every rule reads it);
 * - `email-changes`: confirmed email changes whose undo link ended at or before the cutoff (epoch ms);
 * - `held-previous-emails`: previous emails held for an undo, whose hold ended at or before the cutoff (epoch ms);
 * - `known-login-addresses`: rows whose last login is at or before the cutoff (epoch ms);
 * - `notice-budgets`: windows that started at or before the cutoff (epoch ms);
 * - `security-events`: events recorded at or before the cutoff (epoch ms);
 * - `failure-counters`: counters last touched at or before the cutoff and not locked after it (epoch s).
 */
export const PURGE_KINDS = [
  'mfa-tokens',
  'mfa-enrollments',
  'webauthn-challenges',
  'recovery-windows',
  'reset-requests',
  'sessions',
  'trusted-devices',
  'password-resets',
  'email-verifications',
  'email-changes',
  'held-previous-emails',
  'failure-counters',
  'known-login-addresses',
  'notice-budgets',
  'security-events',
] as const;
export type PurgeKind = (typeof PURGE_KINDS)[number];

export interface HousekeepingRepository {
  /** Deletes at most `limit` rows of `kind` that ended at or before `cutoff`; answers how many it deleted. */
  deleteBatch(kind: PurgeKind, cutoff: number, limit: number): Promise<number>;
}
