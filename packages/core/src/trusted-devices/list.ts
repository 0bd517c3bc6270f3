import { z } from 'zod';
import type { Core } from '../context.js';
import { hashTrustedDeviceToken } from './token.js';

const ZTrustedDeviceInfo = z.object({
  id: z.string(),
  /** The browser that asks holds this device's cookie. */
  isCurrent: z.boolean(),
  userAgent: z.string().nullable(),
  /** Where it was trusted from. */
  clientAddress: z.string(),
  createdAtMs: z.number().int(),
  /** The last login it let skip the second step; null until the first. */
  lastUsedAtMs: z.number().int().nullable(),
  expiresAtMs: z.number().int(),
});
export const ZTrustedDeviceList = z.object({ devices: z.array(ZTrustedDeviceInfo) });
export type TTrustedDeviceList = z.infer<typeof ZTrustedDeviceList>;

/** The user's live trusted devices, newest first (docs/contract.md § Trusted devices). */
export async function listTrustedDevices(
  core: Core,
  userId: string,
  presentedToken: string | undefined,
): Promise<TTrustedDeviceList> {
  const rows = await core.store.trustedDevices.listLiveOfUser({ userId, nowMs: core.clock.now() });
  const currentHash = hashTrustedDeviceToken(core, presentedToken);
  return {
    devices: rows.map((row) => ({
      id: row.id,
      isCurrent: row.tokenHash === currentHash,
      userAgent: row.userAgent,
      clientAddress: row.clientAddress,
      createdAtMs: row.createdAtMs,
      lastUsedAtMs: row.lastUsedAtMs,
      expiresAtMs: row.expiresAtMs,
    })),
  };
}
