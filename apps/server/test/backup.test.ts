import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, KeyMismatchError, openDatabase } from '@twofold/core';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../src/start-server.js';
import { runCliProcess } from './support/cli.js';
import { type Account, registerAccount, request } from './support/http.js';
import { startTestServer, type TestServer } from './support/server.js';

const KEY_FILES = ['jwt-secret', 'encryption-key', 'token-hash-key'];

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'twofold-backup-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function serverWithOwner(): Promise<{ server: TestServer; owner: Account }> {
  const server = await startTestServer();
  cleanups.push(() => server.close());
  return { server, owner: await registerAccount(server.url, 'owner') };
}

function usernamesIn(databaseFile: string): Set<string> {
  const db = openDatabase(databaseFile);
  try {
    const check = db.$client.pragma('integrity_check', { simple: true });
    expect(check).toBe('ok');
    const rows = db.$client.prepare('SELECT username FROM users').all() as { username: string }[];
    return new Set(rows.map((row) => row.username));
  } finally {
    closeDatabase(db);
  }
}

describe('twofold backup', () => {
  it('copies the database while the server writes: the copy opens and holds every write answered before it began', async () => {
    const { server, owner } = await serverWithOwner();
    const answered: string[] = [];
    let isWriting = true;
    const writers = Array.from({ length: 4 }, async () => {
      while (isWriting) answered.push((await registerAccount(server.url, 'load')).username);
    });
    while (answered.length < 8) await new Promise((resolve) => setTimeout(resolve, 20));
    const answeredBefore = [...answered];
    const target = join(tempDir(), 'twofold-backup.sqlite');

    const run = await runCliProcess(['backup', target], { DATA_DIR: server.dataDir });
    const writtenDuring = answered.length - answeredBefore.length;
    isWriting = false;
    await Promise.all(writers);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/100 %/);
    expect(run.stderr).toMatch(/done: .*checked/);
    // It names where the keys are, never what they are.
    expect(run.stderr).toContain(join(server.dataDir, 'encryption-key'));
    for (const name of KEY_FILES) {
      expect(run.stderr + run.stdout).not.toContain(readFileSync(join(server.dataDir, name), 'utf8').trim());
    }
    expect(writtenDuring).toBeGreaterThan(0);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(existsSync(`${target}-wal`)).toBe(false);
    const copied = usernamesIn(target);
    for (const username of [owner.username, ...answeredBefore]) expect(copied.has(username)).toBe(true);
  });

  it('restores into a fresh DATA_DIR with the keys: an existing user logs in; without the keys the start is refused', async () => {
    const { server, owner } = await serverWithOwner();
    const target = join(tempDir(), 'backup.sqlite');
    expect((await runCliProcess(['backup', target], { DATA_DIR: server.dataDir })).code).toBe(0);

    const restored = tempDir();
    copyFileSync(target, join(restored, DATABASE_FILE));
    for (const name of KEY_FILES) copyFileSync(join(server.dataDir, name), join(restored, name));
    const second = await startTestServer({ dataDir: restored });
    cleanups.push(() => second.close());
    const login = await request(second.url, 'POST', '/api/login', {
      body: { username: owner.username, password: owner.password },
    });
    expect(login.status).toBe(200);
    // The session the original server signed holds on the restored one too (same JWT_SECRET).
    expect((await request(second.url, 'GET', '/api/auth/user', { token: owner.token })).status).toBe(200);

    // The same file without its keys: new keys would be generated, and the key check refuses them.
    const keyless = tempDir();
    copyFileSync(target, join(keyless, DATABASE_FILE));
    await expect(startTestServer({ dataDir: keyless })).rejects.toBeInstanceOf(KeyMismatchError);
  });

  it('refuses to replace an existing file unless --force, and refuses a PostgreSQL installation', async () => {
    const { server } = await serverWithOwner();
    const target = join(tempDir(), 'existing.sqlite');
    writeFileSync(target, 'keep me');
    const refused = await runCliProcess(['backup', target], { DATA_DIR: server.dataDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--force');
    expect(refused.stderr).not.toMatch(/\n\s+at /); // one line, no stack trace
    expect(readFileSync(target, 'utf8')).toBe('keep me');

    const forced = await runCliProcess(['backup', target, '--force'], { DATA_DIR: server.dataDir });
    expect(forced.code, forced.stderr).toBe(0);
    expect(usernamesIn(target).size).toBe(1);

    const postgres = await runCliProcess(['backup', join(tempDir(), 'x.sqlite')], {
      DATA_DIR: server.dataDir,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
    });
    expect(postgres.code).toBe(1);
    expect(postgres.stderr).toContain('pg_dump');
  });

  it('explains itself: --help, and a clear line for a missing argument or database', async () => {
    const help = await runCliProcess(['backup', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: twofold backup [options] <file>');
    expect(help.stdout).toContain('--force');
    const missing = await runCliProcess(['backup']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("missing required argument 'file'");
    const nowhere = await runCliProcess(['backup', join(tempDir(), 'x.sqlite')], { DATA_DIR: tempDir() });
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(/error: no database at .*twofold\.sqlite/);
  });
});
