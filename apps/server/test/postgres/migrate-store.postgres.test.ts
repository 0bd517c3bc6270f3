import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COPIED_TABLES } from '@twofold/core';
import { dropSchemas, ManualClock, newTestSchemaName, TEST_DATABASE_URL } from '@twofold/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/start-server.js';
import { runCliProcess } from '../support/cli.js';
import { registerAccount, request } from '../support/http.js';
import { createMfaUser, loginWithTotp } from '../support/mfa.js';
import { createDataDir, startTestServer } from '../support/server.js';

const running: RunningServer[] = [];
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.close();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const runCli = (args: string[], env: Record<string, string> = {}) =>
  runCliProcess(args, env, 'migrate-store.js');

function newDataDir(): string {
  const dir = createDataDir();
  cleanups.push(() => dir.remove());
  return dir.path;
}

function newSchema(): string {
  const schemaName = newTestSchemaName();
  cleanups.push(() => dropSchemas([schemaName]));
  return schemaName;
}

const KEY_FILES = {
  JWT_SECRET: 'jwt-secret',
  ENCRYPTION_KEY: 'encryption-key',
  TOKEN_HASH_KEY: 'token-hash-key',
};

describe('migrate-store: moving an embedded installation to PostgreSQL', () => {
  it('copies a real server’s DATA_DIR, and a server on PostgreSQL with its keys logs everyone in', async () => {
    // An installation made by a real server on SQLite: keys in DATA_DIR, accounts, MFA, logins.
    const dataDir = newDataDir();
    const clock = new ManualClock(Date.now());
    const sqliteServer = await startTestServer({ dataDir, clock });
    const plain = await registerAccount(sqliteServer.url, 'plain');
    const mfa = await createMfaUser(sqliteServer.url, clock, await registerAccount(sqliteServer.url, 'mfa'));
    await loginWithTotp(sqliteServer.url, mfa, clock);
    const wrong = await request(sqliteServer.url, 'POST', '/api/login', {
      body: { username: plain.username, password: 'not the password' },
    });
    expect(wrong.status).toBe(401);
    await sqliteServer.close();

    const schemaName = newSchema();
    const passwordUrl = new URL(TEST_DATABASE_URL);
    const moved = await runCli(['--from', dataDir, '--to', TEST_DATABASE_URL, '--schema', schemaName]);
    expect(moved.stderr).toBe('');
    expect(moved.code).toBe(0);
    expect(moved.stdout).toMatch(/^ {2}users: 2 rows$/m);
    expect(moved.stdout).toMatch(/^ {2}mfa_credentials: 1 row$/m);
    expect(moved.stdout).toMatch(/^ {2}key_fingerprints: 3 rows$/m);
    expect(moved.stdout).toMatch(
      new RegExp(`^Copied \\d+ rows in ${COPIED_TABLES.length} tables, in one transaction`, 'm'),
    );
    // The reminder names the files that hold the keys, never the keys.
    const keys: Record<string, string> = {};
    for (const [variable, file] of Object.entries(KEY_FILES)) {
      keys[variable] = readFileSync(join(dataDir, file), 'utf8').trim();
      expect(moved.stdout).toContain(`${variable}: the contents of ${join(dataDir, file)}`);
      expect(moved.stdout).not.toContain(keys[variable]);
    }
    if (passwordUrl.password) expect(moved.stdout).not.toContain(passwordUrl.password);

    // A server on PostgreSQL, with an empty DATA_DIR of its own: the keys come only from the environment.
    const pgEnv = { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schemaName, ...keys };
    const pgClock = new ManualClock(clock.now());
    const pgServer = await startTestServer({ dataDir: newDataDir(), clock: pgClock, env: pgEnv });
    running.push(pgServer);
    const login = await request(pgServer.url, 'POST', '/api/login', {
      body: { username: plain.username, password: plain.password },
    });
    expect(login.status).toBe(200);
    const token = await loginWithTotp(pgServer.url, mfa, pgClock);
    const me = await request(pgServer.url, 'GET', '/api/auth/user', { token });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ user: mfa.username, mfa: true });

    // A second run finds the target in use: one line naming the table, exit 1, nothing copied.
    const again = await runCli(['--from', dataDir, '--schema', schemaName], {
      DATABASE_URL: TEST_DATABASE_URL,
    });
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/^migrate-store: .*not empty: the target table users already has rows/);
  });

  it('refuses bad input with one line and exit 1, never printing the password', async () => {
    const dataDir = newDataDir();
    const server = await startTestServer({ dataDir });
    await server.close();
    const cases: Array<[string[], RegExp]> = [
      [
        ['--from', dataDir, '--to', 'postgres://twofold:hunter2@127.0.0.1:1/twofold'],
        /cannot reach PostgreSQL at 127\.0\.0\.1:1\/twofold/,
      ],
      [
        ['--from', join(dataDir, 'nowhere'), '--to', 'postgres://twofold:hunter2@127.0.0.1/twofold'],
        /no SQLite database at /,
      ],
      [
        ['--from', dataDir, '--to', 'mysql://twofold:hunter2@127.0.0.1/twofold'],
        /must be a postgres:\/\/ or postgresql:\/\/ URL/,
      ],
      [
        ['--from', dataDir, '--to', TEST_DATABASE_URL, '--schema', 'Robert"; DROP'],
        /plain lowercase identifier/,
      ],
      [['--from', dataDir], /no target: give --to/],
      [['--from', dataDir, '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, expected] of cases) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(1);
      const lines = run.stderr.trim().split('\n');
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(lines[0]).toMatch(/^migrate-store: /);
      expect(lines[0]).toMatch(expected);
      expect(run.stdout + run.stderr).not.toContain('hunter2');
    }
  });
});
