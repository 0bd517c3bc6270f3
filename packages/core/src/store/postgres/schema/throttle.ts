import { integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { epoch } from './columns.js';

/** Consecutive-failure counters with exponential lockout (epoch seconds). */
export const failureCounters = pgTable(
  'failure_counters',
  {
    scope: text().notNull(),
    subject: text().notNull(),
    failures: integer().notNull().default(0),
    lockCount: integer().notNull().default(0),
    lockedUntilSeconds: epoch().notNull().default(0),
    updatedAtSeconds: epoch().notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.subject] })],
);
