import type { Core } from '../context.js';
import type { RenderedMail } from '../mail/messages.js';
import { openMailPayload } from '../mail/open-payload.js';
import type { OutboxRow } from '../store/repositories/outbox.js';
import { testSql } from './test-sql.js';

export interface OutboxMail extends RenderedMail {
  id: string;
  kind: string;
  to: string;
  status: string;
  /** Epoch milliseconds. */
  createdAtMs: number;
}

/** The column that keeps insertion order: SQLite's rowid, PostgreSQL's `seq`. */
const insertionOrder = (core: Core) => (core.store.dialect === 'sqlite' ? 'rowid' : 'seq');

const ROW_COLUMNS = `id, kind, recipient, user_id AS "userId", subject, payload_ciphertext AS "payloadCiphertext", key_id AS "keyId",
  status, attempts, next_attempt_at_ms AS "nextAttemptAtMs", lease_owner AS "leaseOwner",
  lease_until_ms AS "leaseUntilMs", last_error AS "lastError", sent_at_ms AS "sentAtMs",
  failed_at_ms AS "failedAtMs", created_at_ms AS "createdAtMs"`;

/**
 * The outbox rows as stored, oldest queued first, in the repository's shape (camelCase, bodies
 * still sealed), on either store. `where` is plain SQL with `?` placeholders over snake_case
 * columns, e.g. `outboxRows(core, 'recipient = ?', to)`.
 */
export async function outboxRows(core: Core, where = 'TRUE', ...params: unknown[]): Promise<OutboxRow[]> {
  return testSql(core).all<OutboxRow>(
    `SELECT ${ROW_COLUMNS} FROM outbox WHERE ${where} ORDER BY created_at_ms, ${insertionOrder(core)}`,
    ...params,
  );
}

interface OutboxSqlRow {
  id: string;
  kind: string;
  recipient: string;
  subject: string;
  status: string;
  payload_ciphertext: string | null;
  key_id: string | null;
  created_at_ms: number;
}

/**
 * Every email in the outbox, opened with the core's keys, newest first (insertion order breaks
 * ties within one transaction: SQLite's rowid, PostgreSQL's `seq`). For tests that read what a
 * user would receive (reset codes) without an SMTP server. Delivered mail has its body wiped:
 * text and html read empty. Reads the rows directly, on either store.
 */
export async function readOutbox(core: Core): Promise<OutboxMail[]> {
  const rows = await testSql(core).all<OutboxSqlRow>(
    `SELECT id, kind, recipient, subject, status, payload_ciphertext, key_id, created_at_ms
       FROM outbox ORDER BY created_at_ms DESC, ${insertionOrder(core)} DESC`,
  );
  return rows.map((row) => {
    const rendered = openMailPayload(core, {
      id: row.id,
      recipient: row.recipient,
      payloadCiphertext: row.payload_ciphertext,
      keyId: row.key_id,
    }) ?? { subject: row.subject, text: '', html: '' };
    return {
      id: row.id,
      kind: row.kind,
      to: row.recipient,
      status: row.status,
      createdAtMs: Number(row.created_at_ms),
      ...rendered,
    };
  });
}
