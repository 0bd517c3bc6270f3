import { and, desc, eq, gt, sql } from 'drizzle-orm';
import type { TrustedDeviceRepository, TrustedDeviceRow } from '../repositories/trusted-devices.js';
import type { Db } from './open.js';
import { trustedDevices } from './schema/index.js';

function prepare(db: Db) {
  return {
    // Every password login of a user with MFA from a browser that holds the cookie makes it.
    use: db
      .update(trustedDevices)
      .set({ lastUsedAtMs: sql`${sql.placeholder('nowMs')}` })
      .where(
        and(
          eq(trustedDevices.tokenHash, sql.placeholder('tokenHash')),
          eq(trustedDevices.userId, sql.placeholder('userId')),
          gt(trustedDevices.expiresAtMs, sql.placeholder('nowMs')),
        ),
      )
      .returning({ id: trustedDevices.id })
      .prepare(),
  };
}

export class SqliteTrustedDeviceRepository implements TrustedDeviceRepository {
  private prepared: ReturnType<typeof prepare> | undefined;

  constructor(private readonly db: Db) {}

  private get q() {
    this.prepared ??= prepare(this.db);
    return this.prepared;
  }

  async insert(device: TrustedDeviceRow): Promise<void> {
    this.db.insert(trustedDevices).values(device).run();
  }

  async use(query: { tokenHash: string; userId: string; nowMs: number }): Promise<string | undefined> {
    return this.q.use.get(query)?.id;
  }

  async listLiveOfUser(query: { userId: string; nowMs: number }): Promise<TrustedDeviceRow[]> {
    return this.db
      .select()
      .from(trustedDevices)
      .where(and(eq(trustedDevices.userId, query.userId), gt(trustedDevices.expiresAtMs, query.nowMs)))
      .orderBy(desc(trustedDevices.createdAtMs), desc(trustedDevices.id))
      .all();
  }

  async revoke(query: { id: string; userId: string }): Promise<boolean> {
    const row = this.db
      .delete(trustedDevices)
      .where(and(eq(trustedDevices.id, query.id), eq(trustedDevices.userId, query.userId)))
      .returning({ id: trustedDevices.id })
      .get();
    return row !== undefined;
  }

  async revokeAllOfUser(userId: string): Promise<number> {
    return this.db
      .delete(trustedDevices)
      .where(eq(trustedDevices.userId, userId))
      .returning({ id: trustedDevices.id })
      .all().length;
  }
}
