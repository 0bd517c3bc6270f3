import { identifiers } from '../db/schema/index.js';
import type { Tx } from '../db/transaction.js';
import type { User } from './find.js';

/**
 * Claims the user's username and email in the one namespace, in the transaction that writes
 * the users row. Throws the database's unique violation when another account holds either
 * (see `isUniqueViolation`): the constraint, not a read before, decides who wins.
 */
export function claimIdentifiers(tx: Tx, user: Pick<User, 'id' | 'username' | 'email'>): void {
  tx.insert(identifiers).values({ identifier: user.username, userId: user.id, kind: 'username' }).run();
  if (user.email !== user.username) {
    tx.insert(identifiers).values({ identifier: user.email, userId: user.id, kind: 'email' }).run();
  }
}
