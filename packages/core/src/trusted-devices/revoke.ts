import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import type { Session } from '../session/freshness.js';
import type { Tx } from '../store/store.js';

export const ZRevokeTrustedDeviceInput = z.strictObject({ id: z.string().min(1).max(128) });
export type TRevokeTrustedDeviceInput = z.infer<typeof ZRevokeTrustedDeviceInput>;

/**
 * Revokes one of the user's trusted devices: its cookie logs in with the password alone no
 * more. Another user's id answers 404 like an unknown one (docs/contract.md § Trusted devices).
 */
export async function revokeTrustedDevice(
  core: Core,
  session: Session,
  input: TRevokeTrustedDeviceInput,
  meta: RequestMeta,
): Promise<void> {
  const userId = session.user.id;
  const isRevoked = await core.store.transaction(async (tx) => {
    if (!(await tx.trustedDevices.revoke({ id: input.id, userId }))) return false;
    await recordSecurityEvent(core, tx, userId, 'trusted_device_revoked', meta);
    return true;
  });
  if (!isRevoked) throw new DomainError('TRUSTED_DEVICE_NOT_FOUND');
}

/**
 * Revokes every trusted device of the user inside the caller's transaction: recover, reset,
 * turning MFA off, a password change or reset, an operator ending the sessions
 * (docs/contract.md § Trusted devices). Records one event when there was any.
 */
export async function revokeAllTrustedDevices(
  core: Core,
  tx: Tx,
  userId: string,
  meta: RequestMeta | undefined,
): Promise<void> {
  if ((await tx.trustedDevices.revokeAllOfUser(userId)) > 0) {
    await recordSecurityEvent(core, tx, userId, 'trusted_devices_revoked', meta);
  }
}
