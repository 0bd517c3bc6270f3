/**
 * Whether `error` (or a cause it wraps, as drizzle's query errors do) says the database could
 * not answer for now — unreachable, restarting, out of connections, locked, disk full — so the
 * request may succeed if retried: a 503 with Retry-After, never a 500.
 */
export function isStoreUnavailable(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (isPassingFault(current)) return true;
  }
  return false;
}

/** SQLite: the file is locked by another process, or the disk is full or failing. */
const SQLITE_PASSING = /^SQLITE_(BUSY|LOCKED|FULL|IOERR)/;

/** Socket errors of a connection to PostgreSQL that is refused, reset or times out. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), 53 (insufficient resources: too many
 * connections, disk full), 57P01–57P03 (shutting down, starting up), and 40001/40P01
 * (serialization failure, deadlock), which PostgreSQL itself says to retry.
 */
const POSTGRES_PASSING = /^(08...|53...|57P0[123]|40001|40P01)$/;

/** node-postgres reports a lost connection or a full pool by message only. */
const POSTGRES_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout)/;

function isPassingFault(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (SQLITE_PASSING.test(code) || NETWORK_CODES.has(code) || POSTGRES_PASSING.test(code)) return true;
  }
  return POSTGRES_MESSAGES.test(error.message);
}
