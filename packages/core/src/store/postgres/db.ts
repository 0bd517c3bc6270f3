import type { NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import type * as schema from './schema/index.js';

/** The pool's drizzle handle or one transaction's: repositories run on either. */
export type PgDb = PgDatabase<NodePgQueryResultHKT, typeof schema>;
