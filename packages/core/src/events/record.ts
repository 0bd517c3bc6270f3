import { sql } from 'drizzle-orm';
import type { Core, RequestMeta } from '../context.js';
import { preparedPerDb } from '../db/prepared.js';
import { securityEvents } from '../db/schema/index.js';
import type { Tx } from '../db/transaction.js';

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
  'reset_requested',
  'reset_completed',
  'recovery_email_changed',
  'reauth_succeeded',
  'reauth_failed',
  'password_changed',
  'password_change_failed',
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

const queries = preparedPerDb((db) => ({
  insert: db
    .insert(securityEvents)
    .values({
      id: sql.placeholder('id'),
      userId: sql.placeholder('userId'),
      type: sql.placeholder('type'),
      clientAddress: sql.placeholder('clientAddress'),
      createdAt: sql.placeholder('createdAt'),
    })
    .prepare(),
}));

/**
 * Written inside the transaction of the change it records, so both land or neither.
 * `_tx` only proves the caller is in that transaction: the prepared insert runs on
 * `core.db`'s connection, which is the transaction's.
 */
export function recordSecurityEvent(
  core: Core,
  _tx: Tx,
  userId: string,
  type: SecurityEventType,
  meta: RequestMeta | undefined,
): void {
  queries(core.db).insert.run({
    id: core.random.uuid(),
    userId,
    type,
    clientAddress: meta?.clientAddress ?? null,
    createdAt: core.clock.now(),
  });
}
