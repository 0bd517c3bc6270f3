import type Database from 'better-sqlite3';

/** Distinct SQL texts kept compiled; the schema's queries are a few dozen, so this never evicts in practice. */
const MAX_CACHED_STATEMENTS = 500;

/**
 * drizzle prepares (compiles) every query each time it runs; on the hot path that compile
 * costs more than running the statement. This keeps one compiled statement per SQL text
 * and hands it back reset to its default mode (drizzle switches `raw()` on per call).
 * A statement still being iterated is busy, so the caller gets a fresh one instead.
 */
export function cacheStatements(sqlite: Database.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  const cachedPrepare = (source: string): Database.Statement => {
    const cached = cache.get(source);
    if (cached && !cached.busy) {
      if (cached.reader) cached.raw(false);
      return cached;
    }
    const statement = prepare(source);
    if (!cached) {
      if (cache.size >= MAX_CACHED_STATEMENTS) cache.delete(cache.keys().next().value as string);
      cache.set(source, statement);
    }
    return statement;
  };
  sqlite.prepare = cachedPrepare as typeof sqlite.prepare;
}
