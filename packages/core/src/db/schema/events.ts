import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.js';

export const securityEvents = sqliteTable(
  'security_events',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text().notNull(),
    clientAddress: text(),
    createdAt: integer().notNull(),
  },
  (t) => [index('security_events_user_idx').on(t.userId, t.createdAt)],
);
