import { and, desc, eq, gt } from 'drizzle-orm';
import type { TrustedDeviceRepository, TrustedDeviceRow } from '../repositories/trusted-devices.js';
import type { PgDb } from './db.js';
import { trustedDevices } from './schema/index.js';

export class PostgresTrustedDeviceRepository implements TrustedDeviceRepository {
  constructor(private readonly db: PgDb) {}

  async insert(device: TrustedDeviceRow): Promise<void> {
    await this.db.insert(trustedDevices).values(device);
  }

  // The guard is on the UPDATE itself: a revocation committed while it waited leaves no row.
  async use(query: { tokenHash: string; userId: string; nowMs: number }): Promise<string | undefined> {
    const [row] = await this.db
      .update(trustedDevices)
      .set({ lastUsedAtMs: query.nowMs })
      .where(
        and(
          eq(trustedDevices.tokenHash, query.tokenHash),
          eq(trustedDevices.userId, query.userId),
          gt(trustedDevices.expiresAtMs, query.nowMs),
        ),
      )
      .returning({ id: trustedDevices.id });
    return row?.id;
  }

  async listLiveOfUser(query: { userId: string; nowMs: number }): Promise<TrustedDeviceRow[]> {
    return this.db
      .select()
      .from(trustedDevices)
      .where(and(eq(trustedDevices.userId, query.userId), gt(trustedDevices.expiresAtMs, query.nowMs)))
      .orderBy(desc(trustedDevices.createdAtMs), desc(trustedDevices.id));
  }

  async revoke(query: { id: string; userId: string }): Promise<boolean> {
    const rows = await this.db
      .delete(trustedDevices)
      .where(and(eq(trustedDevices.id, query.id), eq(trustedDevices.userId, query.userId)))
      .returning({ id: trustedDevices.id });
    return rows.length === 1;
  }

  async revokeAllOfUser(userId: string): Promise<number> {
    const rows = await this.db
      .delete(trustedDevices)
      .where(eq(trustedDevices.userId, userId))
      .returning({ id: trustedDevices.id });
    return rows.length;
  }
}
