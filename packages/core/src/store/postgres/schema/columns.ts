import { bigint } from 'drizzle-orm/pg-core';

/**
 * Instants and durations are epoch numbers, as in the SQLite schema: milliseconds (or seconds
 * where the column says so) do not fit PostgreSQL's `integer`, and `mode: 'number'` keeps them
 * JavaScript numbers (exact up to 2^53, far past any instant we store).
 */
export const epoch = () => bigint({ mode: 'number' });
