import { and, eq, lt } from 'drizzle-orm';
import type { TotpCredential, TotpCredentialRepository } from '../repositories/totp-credentials.js';
import type { PgDb } from './db.js';
import { mfaCredentials } from './schema/index.js';

export class PostgresTotpCredentialRepository implements TotpCredentialRepository {
  constructor(private readonly db: PgDb) {}

  async findByUser(userId: string): Promise<TotpCredential | undefined> {
    const [row] = await this.db.select().from(mfaCredentials).where(eq(mfaCredentials.userId, userId));
    return row;
  }

  async exists(userId: string): Promise<boolean> {
    const rows = await this.db
      .select({ userId: mfaCredentials.userId })
      .from(mfaCredentials)
      .where(eq(mfaCredentials.userId, userId));
    return rows.length === 1;
  }

  async insert(credential: TotpCredential): Promise<void> {
    await this.db.insert(mfaCredentials).values(credential);
  }

  // The guard is on the UPDATE itself: under READ COMMITTED a concurrent update re-checks it
  // against the committed row, so of two parallel uses of one code only one is accepted.
  async acceptTimeStep(query: { userId: string; timeStep: number }): Promise<boolean> {
    const rows = await this.db
      .update(mfaCredentials)
      .set({ lastTimeStep: query.timeStep })
      .where(and(eq(mfaCredentials.userId, query.userId), lt(mfaCredentials.lastTimeStep, query.timeStep)))
      .returning({ userId: mfaCredentials.userId });
    return rows.length === 1;
  }

  async deleteOfUser(userId: string): Promise<void> {
    await this.db.delete(mfaCredentials).where(eq(mfaCredentials.userId, userId));
  }
}
