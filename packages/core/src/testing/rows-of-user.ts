import type { Core } from '../context.js';
import { testSql } from './test-sql.js';

/** Every table with a `user_id` column, read from the database itself (not from our schema). */
async function tablesWithUserId(core: Core): Promise<string[]> {
  const sql = testSql(core);
  if (core.store.dialect === 'postgres') {
    const rows = await sql.all<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND column_name = 'user_id'`,
    );
    return rows.map((row) => row.table_name);
  }
  const tables = await sql.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'");
  const withUserId: string[] = [];
  for (const { name } of tables) {
    const columns = await sql.all<{ name: string }>(`SELECT name FROM pragma_table_info('${name}')`);
    if (columns.some((column) => column.name === 'user_id')) withUserId.push(name);
  }
  return withUserId;
}

/**
 * What the database still holds of an account, by table: rows whose `user_id` is its id, its
 * users row, and failure counters keyed by its id. Empty once the account is gone for good.
 */
export async function rowsOfUser(core: Core, userId: string): Promise<Record<string, number>> {
  const sql = testSql(core);
  const counts: Record<string, number> = {};
  const count = async (table: string, where: string, ...params: unknown[]) => {
    const row = await sql.get<{ n: number | string }>(
      `SELECT count(*) AS n FROM ${table} WHERE ${where}`,
      ...params,
    );
    const n = Number(row?.n ?? 0);
    if (n > 0) counts[table] = (counts[table] ?? 0) + n;
  };
  for (const table of await tablesWithUserId(core)) await count(table, 'user_id = ?', userId);
  await count('users', 'id = ?', userId);
  await count('failure_counters', 'subject = ? OR subject LIKE ?', userId, `${userId}|%`);
  return counts;
}
