import { randomBytes } from 'node:crypto';
import { dropSchemas, newTestSchemaName, TEST_DATABASE_URL } from '@twofold/core/testing';

/** What instances on one PostgreSQL schema share: the URL, the schema and the keys. */
export interface PostgresEnv {
  env: Record<string, string>;
  schemaName: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/** A fresh schema in the machine's test database, and keys as an operator would set them. */
export function createPostgresEnv(): PostgresEnv {
  const schemaName = newTestSchemaName();
  return {
    schemaName,
    env: {
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schemaName,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      TOKEN_HASH_KEY: randomBytes(32).toString('hex'),
    },
    drop: () => dropSchemas([schemaName]),
  };
}
