/**
 * What housekeeping deletes (housekeeping/purge-expired.ts decides the cutoffs):
 * - `mfa-tokens`, `mfa-enrollments`, `webauthn-challenges`, `recovery-windows`, `reset-requests`,
 *   `sessions`, `trusted-devices`, `password-resets`, `email-verifications`: rows that expired before the cutoff (epoch ms);
 * - `email-changes`: confirmed email changes whose undo link expired before the cutoff (epoch ms);
 * - `held-previous-emails`: previous emails held for an undo, whose hold ended before the cutoff (epoch ms);
 * - `known-login-addresses`: rows whose last login is before the cutoff (epoch ms);
 * - `notice-budgets`: windows that started before the cutoff (epoch ms);
 * - `security-events`: events recorded before the cutoff (epoch ms);
 * - `failure-counters`: counters last touched before the cutoff and not locked then (epoch s).
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
  /** Deletes at most `limit` rows of `kind` older than `cutoff`; answers how many it deleted. */
  deleteBatch(kind: PurgeKind, cutoff: number, limit: number): Promise<number>;
}
