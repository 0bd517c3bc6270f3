import { and, eq, lt, sql } from 'drizzle-orm';
import type { TotpCredential, TotpCredentialRepository } from '../repositories/totp-credentials.js';
import type { Db } from './open.js';
import { mfaCredentials } from './schema/index.js';

function prepare(db: Db) {
  const ofUser = eq(mfaCredentials.userId, sql.placeholder('userId'));
  return {
    byUser: db.select().from(mfaCredentials).where(ofUser).prepare(),
    exists: db.select({ userId: mfaCredentials.userId }).from(mfaCredentials).where(ofUser).prepare(),
    acceptTimeStep: db
      .update(mfaCredentials)
      .set({ lastTimeStep: sql`${sql.placeholder('timeStep')}` })
      .where(and(ofUser, lt(mfaCredentials.lastTimeStep, sql.placeholder('timeStep'))))
      .prepare(),
  };
}

export class SqliteTotpCredentialRepository implements TotpCredentialRepository {
  private prepared: ReturnType<typeof prepare> | undefined;

  constructor(private readonly db: Db) {}

  private get q() {
    this.prepared ??= prepare(this.db);
    return this.prepared;
  }

  async findByUser(userId: string): Promise<TotpCredential | undefined> {
    return this.q.byUser.get({ userId });
  }

  async exists(userId: string): Promise<boolean> {
    return this.q.exists.get({ userId }) !== undefined;
  }

  async insert(credential: TotpCredential): Promise<void> {
    this.db.insert(mfaCredentials).values(credential).run();
  }

  async acceptTimeStep(query: { userId: string; timeStep: number }): Promise<boolean> {
    return this.q.acceptTimeStep.run(query).changes === 1;
  }

  async deleteOfUser(userId: string): Promise<void> {
    this.db.delete(mfaCredentials).where(eq(mfaCredentials.userId, userId)).run();
  }
}
