/** docs/contract.md § Required MFA: the operator's setting, as the rules read it. */
export interface MfaRequirement {
  /** Days users who existed before `sinceMs` may still work without a second factor. */
  graceDays: number;
  /** Epoch milliseconds since which the requirement holds (recorded at the first start with it). */
  sinceMs: number;
}

/** `REQUIRE_MFA`: off (the default), or every user. */
export const REQUIRE_MFA_MODES = ['off', 'all'] as const;
export type RequireMfaMode = (typeof REQUIRE_MFA_MODES)[number];

export const DAY_MS = 24 * 60 * 60 * 1000;
/** A longer grace is no requirement; ten years is far past any policy's need. */
export const MAX_MFA_GRACE_DAYS = 3650;
