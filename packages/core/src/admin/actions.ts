import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { DomainError } from '../errors.js';
import { SECURITY_EVENTS_PAGE_SIZE } from '../events/list.js';
import { recordSecurityEvent, SECURITY_EVENT_TYPES } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import { deleteMfaState } from '../mfa/credential.js';
import { isMfaEnabled } from '../mfa/factors.js';
import { endEarlierSessions } from '../session/end-sessions.js';
import { PASSWORD_POLICY, SECOND_FACTOR_POLICY } from '../throttle/failure-counter.js';
import { revokeAllTrustedDevices } from '../trusted-devices/revoke.js';
import { findUserById, findUserByIdentifier, type User } from '../users/find.js';
import type { AdminKey } from './keys.js';

/** An operator's request: who asks (the key) and from where. Every action records an event naming the key. */
export interface AdminActor {
  key: AdminKey;
  meta: RequestMeta;
}

export const ZAdminUserQuery = z.strictObject({
  /** A user id, username or email. */
  user: z.string().trim().toLowerCase().min(1).max(320),
});

export const ZAdminUser = z.object({
  id: z.string(),
  username: z.string(),
  email: z.string(),
  name: z.string(),
  mfa: z.boolean(),
  /** Disabled by an operator: no way of logging in starts a session (docs/contract.md § Disabled accounts). */
  disabled: z.boolean(),
});
export type TAdminUser = z.infer<typeof ZAdminUser>;

export const ZAdminSecurityEvent = z.object({
  id: z.string(),
  type: z.enum(SECURITY_EVENT_TYPES),
  clientAddress: z.string().nullable(),
  /** The admin key behind the event; null for the user's own. */
  adminKeyId: z.string().nullable(),
  createdAtMs: z.number().int(),
});
export const ZAdminSecurityEventList = z.object({ events: z.array(ZAdminSecurityEvent) });

export const ZClearedLockouts = z.object({ cleared: z.number().int() });

async function userNamed(core: Core, name: string): Promise<User> {
  const user = (await findUserById(core.store, name)) ?? (await findUserByIdentifier(core.store, name));
  if (!user) throw new DomainError('NOT_FOUND', 'no such user');
  return user;
}

const actorMeta = (actor: AdminActor): RequestMeta => ({ ...actor.meta, adminKeyId: actor.key.id });

/** Finds one user by id, username or email (scope `users:read`). */
export async function findUserForAdmin(core: Core, actor: AdminActor, name: string): Promise<TAdminUser> {
  const user = await userNamed(core, name);
  const mfa = await isMfaEnabled(core.store, user.id);
  await core.store.transaction((tx) =>
    recordSecurityEvent(core, tx, user.id, 'admin_user_viewed', actorMeta(actor)),
  );
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    name: user.name,
    mfa,
    disabled: user.disabledAtMs !== null,
  };
}

/** A user's security events, newest first, with the key behind each operator's action (scope `events:read`). */
export async function listUserEventsForAdmin(core: Core, actor: AdminActor, name: string) {
  const user = await userNamed(core, name);
  await core.store.transaction((tx) =>
    recordSecurityEvent(core, tx, user.id, 'admin_events_viewed', actorMeta(actor)),
  );
  const rows = await core.store.events.listNewestOfUser({
    userId: user.id,
    limit: SECURITY_EVENTS_PAGE_SIZE,
  });
  return ZAdminSecurityEventList.parse({ events: rows });
}

/**
 * Ends the user's password locks (every client address) and second-factor lock, with their
 * streaks (scope `lockouts:write`). Address-wide throttles are left alone: they guard other
 * accounts too.
 */
export async function clearLockoutsForAdmin(core: Core, actor: AdminActor, name: string) {
  const user = await userNamed(core, name);
  return core.store.transaction(async (tx) => {
    const password = await tx.failureCounters.resetAllWithPrefix({
      scope: PASSWORD_POLICY.scope,
      subjectPrefix: `${user.id}|`,
    });
    const secondFactor = await tx.failureCounters.resetAllWithPrefix({
      scope: SECOND_FACTOR_POLICY.scope,
      subjectPrefix: user.id,
    });
    await recordSecurityEvent(core, tx, user.id, 'admin_lockouts_cleared', actorMeta(actor));
    return { cleared: password + secondFactor };
  });
}

export const ZAdminDone = z.object({ done: z.literal(true) });

/**
 * Turns MFA off for a user who lost every factor (scope `mfa:reset`): the factors, recovery
 * codes and enrollment go, every session ends, and the user is told by mail. MFA not on: 400.
 */
export async function resetMfaForAdmin(core: Core, actor: AdminActor, name: string) {
  const user = await userNamed(core, name);
  await core.store.transaction(async (tx) => {
    if (!(await isMfaEnabled(tx, user.id))) throw new DomainError('MFA_NOT_ENABLED');
    await deleteMfaState(tx, user.id, core.clock.now());
    await endEarlierSessions(tx, user.id);
    await revokeAllTrustedDevices(core, tx, user.id, actorMeta(actor));
    await enqueueMail(core, tx, user.id, {
      kind: 'mfa-reset-by-admin',
      to: user.email,
      username: user.username,
    });
    await recordSecurityEvent(core, tx, user.id, 'admin_mfa_reset', actorMeta(actor));
  });
  return { done: true as const };
}

/**
 * Ends every session of a user (scope `sessions:end`), with the mechanism recover and reset
 * use, and revokes the trusted devices: an operator signing a user out everywhere means every
 * browser, not only its current session (docs/contract.md § Trusted devices).
 */
export async function endSessionsForAdmin(core: Core, actor: AdminActor, name: string) {
  const user = await userNamed(core, name);
  await core.store.transaction(async (tx) => {
    await endEarlierSessions(tx, user.id);
    await revokeAllTrustedDevices(core, tx, user.id, actorMeta(actor));
    await recordSecurityEvent(core, tx, user.id, 'admin_sessions_ended', actorMeta(actor));
  });
  return { done: true as const };
}

/**
 * Disables an account (scope `users:write`; docs/contract.md § Disabled accounts): under the
 * user's row lock, so no login can start a session between the flag and the end of the
 * sessions, every session ends, its trusted devices are revoked and the addresses it logged
 * in from stop lifting the login throttle. Disabling a disabled account keeps the first time and ends whatever is left.
 */
export async function disableUserForAdmin(core: Core, actor: AdminActor, name: string) {
  const user = await userNamed(core, name);
  await core.store.transaction(async (tx) => {
    const state = await tx.users.lockAndReadState(user.id);
    if (!state) throw new DomainError('NOT_FOUND', 'no such user');
    const nowMs = core.clock.now();
    await tx.users.setDisabledAt({ userId: user.id, disabledAtMs: state.disabledAtMs ?? nowMs });
    await endEarlierSessions(tx, user.id);
    // Enabling again must not bring back a password-only login (docs/contract.md § Trusted devices).
    await revokeAllTrustedDevices(core, tx, user.id, actorMeta(actor));
    await tx.provenLogins.forgetOlderThan({ userId: user.id, sinceMs: nowMs });
    await recordSecurityEvent(core, tx, user.id, 'admin_user_disabled', actorMeta(actor));
  });
  return { done: true as const };
}

/** Enables a disabled account again (scope `users:write`); its lockouts and factors are as they were. */
export async function enableUserForAdmin(core: Core, actor: AdminActor, name: string) {
  const user = await userNamed(core, name);
  await core.store.transaction(async (tx) => {
    if (!(await tx.users.setDisabledAt({ userId: user.id, disabledAtMs: null }))) {
      throw new DomainError('NOT_FOUND', 'no such user');
    }
    await recordSecurityEvent(core, tx, user.id, 'admin_user_enabled', actorMeta(actor));
  });
  return { done: true as const };
}
