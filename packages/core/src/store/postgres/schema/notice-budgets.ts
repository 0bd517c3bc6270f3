import { integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { epoch } from './columns.js';
import { users } from './users.js';

/** Notices per user and family in the current window (see the SQLite schema). */
export const noticeBudgets = pgTable(
  'notice_budgets',
  {
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    family: text().notNull(),
    windowStartedAtMs: epoch().notNull(),
    taken: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.family] })],
);
