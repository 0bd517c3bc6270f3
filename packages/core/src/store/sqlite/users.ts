import { and, eq, getTableColumns, ne, sql } from 'drizzle-orm';
import type { User } from '../../users/find.js';
import type { GuardedPasswordChange, UserProfileChanges, UserRepository } from '../repositories/users.js';
import type { Db } from './open.js';
import { identifiers, users } from './schema/index.js';

function prepare(db: Db) {
  return {
    byId: db
      .select()
      .from(users)
      .where(eq(users.id, sql.placeholder('id')))
      .prepare(),
    disabledById: db
      .select({ disabledAtMs: users.disabledAtMs })
      .from(users)
      .where(eq(users.id, sql.placeholder('id')))
      .prepare(),
    byIdentifier: db
      .select(getTableColumns(users))
      .from(identifiers)
      .innerJoin(users, eq(users.id, identifiers.userId))
      .where(eq(identifiers.identifier, sql.placeholder('identifier')))
      .prepare(),
  };
}

export class SqliteUserRepository implements UserRepository {
  private prepared: ReturnType<typeof prepare> | undefined;

  constructor(private readonly db: Db) {}

  async lock(_id: string): Promise<void> {
    // BEGIN IMMEDIATE took the one write lock of the whole database: nothing to add.
  }

  async lockAndReadDisabled(id: string): Promise<{ disabledAtMs: number | null } | undefined> {
    return this.q.disabledById.get({ id });
  }

  async setDisabledAt(query: { userId: string; disabledAtMs: number | null }): Promise<boolean> {
    const row = this.db
      .update(users)
      .set({ disabledAtMs: query.disabledAtMs })
      .where(eq(users.id, query.userId))
      .returning({ id: users.id })
      .get();
    return row !== undefined;
  }

  private get q() {
    this.prepared ??= prepare(this.db);
    return this.prepared;
  }

  async findById(id: string): Promise<User | undefined> {
    return this.q.byId.get({ id });
  }

  async findByIdentifier(identifier: string): Promise<User | undefined> {
    return this.q.byIdentifier.get({ identifier });
  }

  async insert(user: User): Promise<void> {
    this.db.insert(users).values(user).run();
  }

  async isEmailOfAnother(query: { email: string; exceptUserId: string }): Promise<boolean> {
    const row = this.db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.email, query.email), ne(users.id, query.exceptUserId)))
      .get();
    return row !== undefined;
  }

  async updateProfile(userId: string, changes: UserProfileChanges): Promise<User | undefined> {
    return this.db.update(users).set(changes).where(eq(users.id, userId)).returning().get();
  }

  async changePassword(change: GuardedPasswordChange): Promise<boolean> {
    const row = this.db
      .update(users)
      .set({ passwordHash: change.newPasswordHash })
      .where(and(eq(users.id, change.userId), eq(users.passwordHash, change.checkedPasswordHash)))
      .returning({ id: users.id })
      .get();
    return row !== undefined;
  }
}
