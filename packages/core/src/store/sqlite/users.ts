import { and, eq, getTableColumns, isNull, lt, ne, sql } from 'drizzle-orm';
import type { User } from '../../users/find.js';
import type {
  GuardedPasswordChange,
  UserLoginState,
  UserProfileChanges,
  UserRepository,
} from '../repositories/users.js';
import type { Db } from './open.js';
import { identifiers, users } from './schema/index.js';

function prepare(db: Db) {
  return {
    byId: db
      .select()
      .from(users)
      .where(eq(users.id, sql.placeholder('id')))
      .prepare(),
    stateById: db
      .select({ disabledAtMs: users.disabledAtMs, firstLoginAtMs: users.firstLoginAtMs })
      .from(users)
      .where(eq(users.id, sql.placeholder('id')))
      .prepare(),
    byIdentifier: db
      .select(getTableColumns(users))
      .from(identifiers)
      .innerJoin(users, eq(users.id, identifiers.userId))
      .where(
        and(
          eq(identifiers.identifier, sql.placeholder('identifier')),
          ne(identifiers.kind, 'previous_email'),
        ),
      )
      .prepare(),
  };
}

export class SqliteUserRepository implements UserRepository {
  private prepared: ReturnType<typeof prepare> | undefined;

  constructor(private readonly db: Db) {}

  async lock(_id: string): Promise<void> {
    // BEGIN IMMEDIATE took the one write lock of the whole database: nothing to add.
  }

  async lockAndReadState(id: string): Promise<UserLoginState | undefined> {
    return this.q.stateById.get({ id });
  }

  async recordFirstLogin(query: { userId: string; atMs: number }): Promise<void> {
    this.db
      .update(users)
      .set({ firstLoginAtMs: query.atMs })
      .where(and(eq(users.id, query.userId), isNull(users.firstLoginAtMs)))
      .run();
  }

  async markEmailVerified(query: { userId: string; email: string; atMs: number }): Promise<boolean> {
    const main = this.db
      .update(users)
      .set({ emailVerifiedAtMs: sql`coalesce(${users.emailVerifiedAtMs}, ${query.atMs})` })
      .where(and(eq(users.id, query.userId), eq(users.email, query.email)))
      .run().changes;
    const recovery = this.db
      .update(users)
      .set({ recoveryEmailVerifiedAtMs: sql`coalesce(${users.recoveryEmailVerifiedAtMs}, ${query.atMs})` })
      .where(and(eq(users.id, query.userId), eq(users.recoveryEmail, query.email)))
      .run().changes;
    return main + recovery > 0;
  }

  async findReleasable(query: { createdBeforeMs: number; limit: number }): Promise<string[]> {
    return this.db
      .select({ id: users.id })
      .from(users)
      .where(
        and(
          isNull(users.emailVerifiedAtMs),
          isNull(users.firstLoginAtMs),
          lt(users.createdAtMs, query.createdBeforeMs),
        ),
      )
      .limit(query.limit)
      .all()
      .map((row) => row.id);
  }

  async delete(id: string): Promise<void> {
    this.db.delete(users).where(eq(users.id, id)).run();
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

  async changeEmail(query: {
    userId: string;
    email: string;
    verifiedAtMs: number;
  }): Promise<User | undefined> {
    return this.db
      .update(users)
      .set({ email: query.email, emailVerifiedAtMs: query.verifiedAtMs })
      .where(eq(users.id, query.userId))
      .returning()
      .get();
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
