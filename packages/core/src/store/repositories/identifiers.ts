/** Which role an identifier plays for its account. */
type IdentifierKind = 'username' | 'email';

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
}
