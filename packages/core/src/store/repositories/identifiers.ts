/** Which role an identifier plays for its account (`previous_email`: held while a change may be undone). */
type IdentifierKind = 'username' | 'email' | 'previous_email';

export interface IdentifierClaim {
  identifier: string;
  userId: string;
  kind: IdentifierKind;
}

/**
 * The one namespace of usernames and emails (docs/contract.md § Accounts): each lowercase
 * identifier names at most one account, enforced by the database.
 */
export interface IdentifierRepository {
  /** Those of `identifiers` that some account holds. */
  findTaken(identifiers: readonly string[]): Promise<string[]>;
  /** Throws the database's unique violation when any of them is held already (see `isUniqueViolation`). */
  claim(claims: readonly IdentifierClaim[]): Promise<void>;
  /** The account holding `identifier` and in which role; undefined when it is free. */
  findHolder(identifier: string): Promise<{ userId: string; kind: IdentifierKind } | undefined>;
  /**
   * The user's email claim of `identifier` becomes a held previous email until `expiresAtMs`;
   * false when the user holds no such email claim.
   */
  holdAsPrevious(query: { identifier: string; userId: string; expiresAtMs: number }): Promise<boolean>;
  /** The user's held previous email `identifier` becomes its email claim again; false when none is held. */
  restoreHeld(query: { identifier: string; userId: string }): Promise<boolean>;
  /** Drops the user's email claim of `identifier` (a username claim stays). */
  releaseEmail(query: { identifier: string; userId: string }): Promise<void>;
}
