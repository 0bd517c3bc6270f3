import type { Core, RequestMeta } from '../context.js';
import type { Tx } from '../store/store.js';

export const SECURITY_EVENT_TYPES = [
  'user_registered',
  'login_succeeded',
  'login_failed',
  'login_locked',
  'mfa_enabled',
  'mfa_disabled',
  'mfa_auth_succeeded',
  'mfa_auth_failed',
  'second_factor_failed',
  'second_factor_locked',
  'recovery_code_used',
  'recovery_codes_regenerated',
  'reset_requested',
  'reset_completed',
  'recovery_email_changed',
  'reauth_succeeded',
  'reauth_failed',
  'password_changed',
  'password_change_failed',
  'password_reset_requested',
  'password_reset_completed',
  'email_verified',
  'email_change_requested',
  'email_changed',
  'email_change_undone',
  // Recorded as the account goes: kept without user id or address (docs/contract.md § Leaving).
  'account_deleted',
  'account_released',
  'webauthn_added',
  'webauthn_updated',
  'webauthn_removed',
  'passkey_login_succeeded',
  'webauthn_counter_regressed',
  'logged_out',
  'session_ended',
  'other_sessions_ended',
  'device_trusted',
  'trusted_device_login_succeeded',
  'trusted_device_revoked',
  'trusted_devices_revoked',
  // An operator's actions through an admin key (the event names the key).
  'admin_user_viewed',
  'admin_events_viewed',
  'admin_lockouts_cleared',
  'admin_mfa_reset',
  'admin_sessions_ended',
  'admin_user_disabled',
  'admin_user_enabled',
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

/** Written inside the transaction of the change it records, so both land or neither. */
export async function recordSecurityEvent(
  core: Core,
  tx: Tx,
  userId: string,
  type: SecurityEventType,
  meta: RequestMeta | undefined,
): Promise<void> {
  await tx.events.insert({
    id: core.random.uuid(),
    userId,
    type,
    clientAddress: meta?.clientAddress ?? null,
    adminKeyId: meta?.adminKeyId ?? null,
    createdAtMs: core.clock.now(),
  });
}
