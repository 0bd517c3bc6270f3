/**
 * Where each user last completed a login from, by throttle subject (docs/contract.md § MFA
 * endpoints). Times are epoch ms.
 */
export interface ProvenLoginRepository {
  /** Whether `userId` completed a login from `address` after `sinceMs`. */
  isKnownAddress(query: { userId: string; address: string; sinceMs: number }): Promise<boolean>;
  /** Records a complete login of `userId` from `address` at `nowMs` (insert or move forward). */
  remember(login: { userId: string; address: string; nowMs: number }): Promise<void>;
  /** Forgets the user's addresses last used at or before `sinceMs`. */
  forgetOlderThan(query: { userId: string; sinceMs: number }): Promise<void>;
}
