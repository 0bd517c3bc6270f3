#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CopyTargetNotEmptyError,
  closeDatabase,
  copySqliteToPostgres,
  migrateDatabase,
  migratePostgres,
  openDatabase,
  openPostgresStore,
} from '@twofold/core';
import { DATABASE_FILE } from './open-store.js';

/*
 * Moves an embedded installation to PostgreSQL: copies DATA_DIR/twofold.sqlite into an empty
 * PostgreSQL schema in one transaction (packages/core/src/store/copy-sqlite-to-postgres.ts).
 * The rows stay sealed and hashed with the installation's keys, so the PostgreSQL instances
 * must be started with those keys: this prints where they are, never what they are.
 */

const USAGE = 'usage: migrate-store [--from <DATA_DIR>] [--to <postgres URL>] [--schema <name>]';

const HELP = `${USAGE}
Defaults: --from $DATA_DIR or ./data, --to $DATABASE_URL, --schema $DATABASE_SCHEMA or public.

Copies the SQLite installation in DATA_DIR into an empty PostgreSQL schema (migrating it first),
in one transaction. Stop the server on DATA_DIR first: what it writes later is not copied.
Start the PostgreSQL instances with the installation's keys (printed at the end: where they are).`;

/** As DATABASE_SCHEMA in config.ts: a plain lowercase identifier. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The three keys every instance on the database must share, and the DATA_DIR file each defaults to. */
const KEY_FILES = [
  ['JWT_SECRET', 'jwt-secret'],
  ['ENCRYPTION_KEY', 'encryption-key'],
  ['TOKEN_HASH_KEY', 'token-hash-key'],
] as const;

/** Rows between progress lines within one table, so a large table shows it is moving. */
const PROGRESS_EVERY_ROWS = 10_000;

/** A mistake in the input: its message is the whole line printed. */
class UsageError extends Error {}

interface Options {
  dataDir: string;
  url: string;
  schemaName: string;
}

const present = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options | 'help' {
  let values: { from?: string; to?: string; schema?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        schema: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    // node's messages run on with advice about '--'; the first sentence names the problem.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${message.split(/\.\s/)[0]?.replace(/\.$/, '')}; ${USAGE}`);
  }
  if (values.help) return 'help';
  const url = present(values.to) ?? present(env.DATABASE_URL);
  if (url === undefined)
    throw new UsageError(`no target: give --to <postgres URL> or set DATABASE_URL; ${USAGE}`);
  if (!URL.canParse(url) || !/^postgres(?:ql)?:$/.test(new URL(url).protocol)) {
    // Never echoed: it may carry a password.
    throw new UsageError('--to (or DATABASE_URL) must be a postgres:// or postgresql:// URL');
  }
  const schemaName = present(values.schema) ?? present(env.DATABASE_SCHEMA) ?? 'public';
  if (!SCHEMA_NAME.test(schemaName)) {
    throw new UsageError(
      `--schema (or DATABASE_SCHEMA) must be a plain lowercase identifier, not "${schemaName}"`,
    );
  }
  // Under `pnpm --filter … run`, the working directory is apps/server; a relative path means
  // where the command was typed (INIT_CWD), as for `pnpm start` run from the repository root.
  const dataDir = resolve(
    present(env.INIT_CWD) ?? process.cwd(),
    present(values.from) ?? present(env.DATA_DIR) ?? './data',
  );
  return { dataDir, url, schemaName };
}

/** Host, port and database, never the user or password the URL may carry. */
function describeServer(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

/** One line, with the URL's password (as written or decoded) blotted out wherever a library echoed it. */
function oneLine(message: string, url: string | undefined): string {
  let line = message.replace(/\s*\n\s*/g, ' ').trim();
  if (url !== undefined && URL.canParse(url)) {
    const { password } = new URL(url);
    for (const secret of [url, password, safeDecode(password)]) {
      if (secret !== '') line = line.split(secret).join('***');
    }
  }
  return line;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
}

/** Where each key the PostgreSQL instances need comes from: the environment or a DATA_DIR file. */
function keyReminder(dataDir: string, env: NodeJS.ProcessEnv): string[] {
  const lines = [
    "Keys: the copied data stays sealed with this installation's keys. Start every PostgreSQL instance with",
  ];
  for (const [variable, fileName] of KEY_FILES) {
    const file = join(dataDir, fileName);
    if (present(env[variable]) !== undefined) {
      lines.push(`  ${variable}: the value this environment sets (not read from ${file})`);
    } else if (existsSync(file)) {
      lines.push(`  ${variable}: the contents of ${file}`);
    } else {
      lines.push(
        `  ${variable}: ${file} does not exist: use the value the SQLite server runs with (started once, it writes that file)`,
      );
    }
  }
  lines.push(
    'An instance started with other keys refuses to start (key check): nothing is lost, fix the keys.',
  );
  return lines;
}

async function migrateStore(options: Options, env: NodeJS.ProcessEnv): Promise<void> {
  const { dataDir, url, schemaName } = options;
  const file = join(dataDir, DATABASE_FILE);
  // Opening would create an empty database: a wrong --from must fail, not copy nothing.
  if (!existsSync(file)) {
    throw new UsageError(
      `no SQLite database at ${file}: --from (or DATA_DIR) must name the installation's DATA_DIR`,
    );
  }
  const target = `PostgreSQL at ${describeServer(url)}, schema "${schemaName}"`;
  console.log(`Copying ${file} to ${target}`);
  const sqlite = openDatabase(file);
  try {
    // Brings a file left by an earlier version to the columns of this one, as a server start would.
    migrateDatabase(sqlite);
    const store = openPostgresStore(url, { schemaName, maxConnections: 2 });
    try {
      try {
        await store.ping();
      } catch (error) {
        throw new UsageError(`cannot reach ${target}: ${reasonOf(error)}`);
      }
      await migratePostgres(store.pool, schemaName);
      console.log(`  migrated the PostgreSQL schema "${schemaName}"`);
      const started = performance.now();
      let shown = 0;
      const result = await copySqliteToPostgres(sqlite, store.db, {
        onProgress: ({ table, copied, total }) => {
          if (copied === 0) shown = 0;
          if (copied === total) console.log(`  ${table}: ${total} ${total === 1 ? 'row' : 'rows'}`);
          else if (copied - shown >= PROGRESS_EVERY_ROWS) {
            shown = copied;
            console.log(`  ${table}: ${copied} of ${total} rows…`);
          }
        },
      }).catch((error: unknown) => {
        if (error instanceof CopyTargetNotEmptyError) {
          throw new UsageError(`${target} is not empty: ${error.message}; nothing was copied`);
        }
        throw error;
      });
      const rows = result.tables.reduce((sum, { rows: n }) => sum + n, 0);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `Copied ${rows} rows in ${result.tables.length} tables, in one transaction (${seconds} s).`,
      );
      if (result.tables.some(({ table, rows: n }) => table === 'key_fingerprints' && n === 0)) {
        // Recorded at start since the key check came in: without them PostgreSQL cannot tell wrong keys.
        console.log(
          'Note: this installation recorded no key fingerprints (last started by an earlier version), so the first PostgreSQL instance records whatever keys it is given: give it the ones below.',
        );
      }
    } finally {
      await store.close();
    }
  } finally {
    closeDatabase(sqlite);
  }
  for (const line of keyReminder(dataDir, env)) console.log(line);
}

async function main(): Promise<void> {
  let url: string | undefined;
  try {
    const options = parseOptions(process.argv.slice(2), process.env);
    if (options === 'help') {
      console.log(HELP);
      return;
    }
    url = options.url;
    await migrateStore(options, process.env);
  } catch (error) {
    const message = error instanceof UsageError ? error.message : `failed: ${reasonOf(error)}`;
    console.error(`migrate-store: ${oneLine(message, url ?? present(process.env.DATABASE_URL))}`);
    // exitCode, not exit(): stdout still flushes to a pipe.
    process.exitCode = 1;
  }
}

await main();
