/** SQLite's codes for a UNIQUE or PRIMARY KEY violation, and PostgreSQL's (SQLSTATE 23505). */
const UNIQUE_VIOLATION_CODES = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY', '23505']);

/** Whether `error` (or a cause it wraps, as drizzle's query errors do) is a unique violation. */
export function isUniqueViolation(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNIQUE_VIOLATION_CODES.has(code)) return true;
  }
  return false;
}
