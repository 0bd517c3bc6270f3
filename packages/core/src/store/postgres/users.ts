import { and, eq, getTableColumns, isNull, lt, ne, sql } from 'drizzle-orm';
import type { User } from '../../users/find.js';
import type {
  GuardedPasswordChange,
  UserLoginState,
  UserProfileChanges,
  UserRepository,
} from '../repositories/users.js';
import type { PgDb } from './db.js';
import { identifiers, users } from './schema/index.js';

export class PostgresUserRepository implements UserRepository {
  constructor(private readonly db: PgDb) {}

  async findById(id: string): Promise<User | undefined> {
    const [row] = await this.db.select().from(users).where(eq(users.id, id));
    return row;
  }

  async lock(id: string): Promise<void> {
    // Holds the row until the transaction ends: another locker, or an UPDATE of the row, waits.
    // NO KEY UPDATE, not UPDATE: inserting a row that references the user (an event, a known
    // address) takes only KEY SHARE and does not wait for it, so a transaction that inserted one
    // and then waits for a row this one holds cannot deadlock with it.
    await this.db.select({ id: users.id }).from(users).where(eq(users.id, id)).for('no key update');
  }

  async lockAndReadState(id: string): Promise<UserLoginState | undefined> {
    // A row this waited for is returned as the committer left it (READ COMMITTED re-checks
    // locked rows), so a disable that held the lock first is seen here.
    const [row] = await this.db
      .select({ disabledAtMs: users.disabledAtMs, firstLoginAtMs: users.firstLoginAtMs })
      .from(users)
      .where(eq(users.id, id))
      .for('no key update');
    return row;
  }

  async recordFirstLogin(query: { userId: string; atMs: number }): Promise<void> {
    await this.db
      .update(users)
      .set({ firstLoginAtMs: query.atMs })
      .where(and(eq(users.id, query.userId), isNull(users.firstLoginAtMs)));
  }

  async markEmailVerified(query: { userId: string; email: string; atMs: number }): Promise<boolean> {
    const main = await this.db
      .update(users)
      .set({ emailVerifiedAtMs: sql`coalesce(${users.emailVerifiedAtMs}, ${query.atMs})` })
      .where(and(eq(users.id, query.userId), eq(users.email, query.email)))
      .returning({ id: users.id });
    const recovery = await this.db
      .update(users)
      .set({ recoveryEmailVerifiedAtMs: sql`coalesce(${users.recoveryEmailVerifiedAtMs}, ${query.atMs})` })
      .where(and(eq(users.id, query.userId), eq(users.recoveryEmail, query.email)))
      .returning({ id: users.id });
    return main.length + recovery.length > 0;
  }

  async findReleasable(query: { createdBeforeMs: number; limit: number }): Promise<string[]> {
    const rows = await this.db
      .select({ id: users.id })
      .from(users)
      .where(
        and(
          isNull(users.emailVerifiedAtMs),
          isNull(users.firstLoginAtMs),
          lt(users.createdAtMs, query.createdBeforeMs),
        ),
      )
      .limit(query.limit);
    return rows.map((row) => row.id);
  }

  async delete(id: string): Promise<void> {
    await this.db.delete(users).where(eq(users.id, id));
  }

  async setDisabledAt(query: { userId: string; disabledAtMs: number | null }): Promise<boolean> {
    const rows = await this.db
      .update(users)
      .set({ disabledAtMs: query.disabledAtMs })
      .where(eq(users.id, query.userId))
      .returning({ id: users.id });
    return rows.length === 1;
  }

  async findByIdentifier(identifier: string): Promise<User | undefined> {
    const [row] = await this.db
      .select(getTableColumns(users))
      .from(identifiers)
      .innerJoin(users, eq(users.id, identifiers.userId))
      .where(and(eq(identifiers.identifier, identifier), ne(identifiers.kind, 'previous_email')));
    return row;
  }

  async changeEmail(query: {
    userId: string;
    email: string;
    verifiedAtMs: number;
  }): Promise<User | undefined> {
    const [row] = await this.db
      .update(users)
      .set({ email: query.email, emailVerifiedAtMs: query.verifiedAtMs })
      .where(eq(users.id, query.userId))
      .returning();
    return row;
  }

  async insert(user: User): Promise<void> {
    await this.db.insert(users).values(user);
  }

  async isEmailOfAnother(query: { email: string; exceptUserId: string }): Promise<boolean> {
    const rows = await this.db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.email, query.email), ne(users.id, query.exceptUserId)))
      .limit(1);
    return rows.length === 1;
  }

  async updateProfile(userId: string, changes: UserProfileChanges): Promise<User | undefined> {
    const [row] = await this.db.update(users).set(changes).where(eq(users.id, userId)).returning();
    return row;
  }

  // The guard is on the UPDATE itself: under READ COMMITTED a concurrent change re-checks it
  // against the row it committed, so a stale proof never writes.
  async changePassword(change: GuardedPasswordChange): Promise<boolean> {
    const rows = await this.db
      .update(users)
      .set({ passwordHash: change.newPasswordHash })
      .where(and(eq(users.id, change.userId), eq(users.passwordHash, change.checkedPasswordHash)))
      .returning({ id: users.id });
    return rows.length === 1;
  }
}
