import { eq, or } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { users } from '../db/schema/index.js';
import type { Tx } from '../db/transaction.js';

export type User = typeof users.$inferSelect;

export function findUserById(db: Db | Tx, id: string): User | undefined {
  return db.select().from(users).where(eq(users.id, id)).get();
}

/** `identifier` is a username or an email, already lowercased by its schema. */
export function findUserByIdentifier(db: Db | Tx, identifier: string): User | undefined {
  return db
    .select()
    .from(users)
    .where(or(eq(users.username, identifier), eq(users.email, identifier)))
    .get();
}
