import type { users } from '../store/sqlite/schema/index.js';
import type { Repositories } from '../store/store.js';

export type User = typeof users.$inferSelect;

/** Pass `core.store` outside a transaction, its `tx` inside one. */
export function findUserById(repos: Repositories, id: string): Promise<User | undefined> {
  return repos.users.findById(id);
}

/** `identifier` is a username or an email, already lowercased by its schema. */
export function findUserByIdentifier(repos: Repositories, identifier: string): Promise<User | undefined> {
  // Through the namespace table: one identifier names at most one account (docs/contract.md § Accounts).
  return repos.users.findByIdentifier(identifier);
}
