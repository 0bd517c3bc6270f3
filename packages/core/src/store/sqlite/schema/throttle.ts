import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Consecutive-failure counters with exponential lockout. `scope` names the counter
 * ("second-factor" per user, "password" per user and client address).
 */
export const failureCounters = sqliteTable(
  'failure_counters',
  {
    scope: text().notNull(),
    subject: text().notNull(),
    failures: integer().notNull().default(0),
    /** How many locks this streak has caused, for the doubling backoff. */
    lockCount: integer().notNull().default(0),
    /**
     * Epoch seconds, unlike the rest of the schema's milliseconds: locks are counted, compared
     * and answered (`X-Account-Lockout`, `Retry-After`) in seconds (docs/contract.md § Units).
     */
    lockedUntilSeconds: integer().notNull().default(0),
    updatedAtSeconds: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.subject] })],
);
