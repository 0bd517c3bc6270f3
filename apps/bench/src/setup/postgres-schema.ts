import { randomBytes } from 'node:crypto';
import { openPostgresStore } from '@twofold/core';

/**
 * A schema of its own per run, in whatever database `--pg-url` names (shared with others,
 * perhaps): `bench_<epoch s>_<random>`, so one a killed run left behind is recognisable.
 */
export function newBenchSchemaName(): string {
  return `bench_${Math.floor(Date.now() / 1000)}_${randomBytes(6).toString('hex')}`;
}

/** A PostgreSQL identifier, quoted. */
export const quoteIdentifier = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

async function onOwnConnection(url: string, statement: string): Promise<void> {
  const store = openPostgresStore(url, { maxConnections: 1 });
  try {
    await store.pool.query(statement);
  } finally {
    await store.close();
  }
}

/** Creates the (empty) schema, for a side whose migrations do not (better-auth's). */
export async function createBenchSchema(url: string, schemaName: string): Promise<void> {
  await onOwnConnection(url, `CREATE SCHEMA ${quoteIdentifier(schemaName)}`);
}

/** Drops the schema and everything in it, on a connection of its own. */
export async function dropBenchSchema(url: string, schemaName: string): Promise<void> {
  await onOwnConnection(url, `DROP SCHEMA IF EXISTS ${quoteIdentifier(schemaName)} CASCADE`);
}

/** Host, port and database of a postgres:// URL, never the user or password it may carry. */
export function describeDatabase(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}
