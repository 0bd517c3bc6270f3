import type { User } from '../../users/find.js';

/** The profile fields a user may change themselves (docs/contract.md § Accounts). */
export interface UserProfileChanges {
  name?: string;
  recoveryEmail?: string;
  /** Cleared with a new recovery email: it starts unverified. */
  recoveryEmailVerifiedAtMs?: null;
}

/** What a login reads of its user once it holds the user's row. */
export interface UserLoginState {
  disabledAtMs: number | null;
  firstLoginAtMs: number | null;
}

export interface GuardedPasswordChange {
  userId: string;
  newPasswordHash: string;
  /** The hash the proof was checked against: the write needs it unchanged. */
  checkedPasswordHash: string;
}

/** Accounts. Usernames and emails are claimed in the identifiers repository, in the same transaction. */
export interface UserRepository {
  findById(id: string): Promise<User | undefined>;
  /**
   * Inside a transaction: holds the user's row until it ends, so a per-user check-then-act
   * sequence (read a counter or a factor, then write) runs one at a time per user across
   * every instance. PostgreSQL: SELECT … FOR NO KEY UPDATE (rows that reference the user can
   * still be inserted meanwhile). SQLite: nothing to do, the transaction already holds the
   * database's one write lock.
   */
  lock(id: string): Promise<void>;
  /**
   * `lock`, and the row's login state as it stands once the lock is held (PostgreSQL re-reads
   * a row it waited for), so a disable committed meanwhile is seen; undefined when the user is gone.
   */
  lockAndReadState(id: string): Promise<UserLoginState | undefined>;
  /** Records the first login after registration; a later one changes nothing. */
  recordFirstLogin(query: { userId: string; atMs: number }): Promise<void>;
  /**
   * Marks `email` verified at `atMs` where it is still the user's main or recovery email (and
   * was not verified yet); answers whether it is one of them.
   */
  markEmailVerified(query: { userId: string; email: string; atMs: number }): Promise<boolean>;
  /**
   * Ids of accounts created before `createdBeforeMs` whose main email was never verified and
   * that never logged in after registering (docs/contract.md § Verified addresses), at most `limit`.
   */
  findReleasable(query: { createdBeforeMs: number; limit: number }): Promise<string[]>;
  /** Deletes the account's row; every row that references it goes with it or loses the reference. */
  delete(id: string): Promise<void>;
  /** Sets or clears the operator's disable (docs/contract.md § Administration); false when the user is gone. */
  setDisabledAt(query: { userId: string; disabledAtMs: number | null }): Promise<boolean>;
  /**
   * Through the one namespace of usernames and emails: one identifier names at most one account.
   * A held previous email names none.
   */
  findByIdentifier(identifier: string): Promise<User | undefined>;
  /** Sets the main email, verified at `verifiedAtMs`; undefined when the user is gone. */
  changeEmail(query: { userId: string; email: string; verifiedAtMs: number }): Promise<User | undefined>;
  insert(user: User): Promise<void>;
  /** Whether `email` is the main email of an account other than `exceptUserId`. */
  isEmailOfAnother(query: { email: string; exceptUserId: string }): Promise<boolean>;
  /** Applies `changes` (at least one field) and returns the updated row; undefined when the user is gone. */
  updateProfile(userId: string, changes: UserProfileChanges): Promise<User | undefined>;
  /** Sets the new hash only while the hash is the checked one; true when it did. */
  changePassword(change: GuardedPasswordChange): Promise<boolean>;
}
