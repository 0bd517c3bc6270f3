import type { Tx } from '../store/store.js';
import type { User } from './find.js';

/**
 * Claims the user's username and email in the one namespace, in the transaction that writes
 * the users row. Throws the database's unique violation when another account holds either
 * (see `isUniqueViolation`): the constraint, not a read before, decides who wins.
 */
export function claimIdentifiers(tx: Tx, user: Pick<User, 'id' | 'username' | 'email'>): Promise<void> {
  return tx.identifiers.claim([
    { identifier: user.username, userId: user.id, kind: 'username' },
    // An account whose username is its own email holds one row, of kind `username`.
    ...(user.email !== user.username
      ? [{ identifier: user.email, userId: user.id, kind: 'email' as const }]
      : []),
  ]);
}
