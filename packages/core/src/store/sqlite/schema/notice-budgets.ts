import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.js';

/**
 * How many notices of one family each user was sent in the current day-long window
 * (docs/contract.md § Notices): past the cap, one digest, then nothing until the window ends.
 */
export const noticeBudgets = sqliteTable(
  'notice_budgets',
  {
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** notices/budget.ts: `sign-in` (new device or address, trusted browser) or `lockout`. */
    family: text().notNull(),
    /** The first notice of the window; the window lasts a day from it. */
    windowStartedAtMs: integer().notNull(),
    /** Notices asked for in the window, the ones not sent included. */
    taken: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.family] })],
);
