/**
 * examples/relying-service, as someone outside this repository would run it: the client
 * package packed (`pnpm pack`), installed with npm from the tarball into a copy of the example,
 * compiled with the example's own TypeScript (no skipLibCheck, none of the server's packages),
 * and run against a real server: it logs in, its endpoint accepts the session, and refuses it
 * once logged out although the signature still verifies (docs/contract.md § Sessions other
 * services verify).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccount } from './support/http.js';
import { startTestServer, type TestServer } from './support/server.js';

const run = promisify(execFile);
const REPO = join(import.meta.dirname, '..', '..', '..');
const CLIENT_DIR = join(REPO, 'packages', 'client');
const EXAMPLE_DIR = join(REPO, 'examples', 'relying-service');
/** Installing takes seconds from npm's cache, more on a machine that has not fetched jose yet. */
const SETUP_TIMEOUT_MS = 180_000;
const SERVER_PACKAGES = /better-sqlite3|drizzle|argon2|[/\\]pg[/\\]|@twofold[/\\](api|core)/;

let server: TestServer;
let work: string;
let app: string;
/** Every file the example's TypeScript loaded to compile it. */
let loaded: string[];

/** The environment without what pnpm passes its scripts (npm_config_*), which would steer npm. */
const plainEnv = () =>
  Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));

beforeAll(async () => {
  server = await startTestServer();
  work = mkdtempSync(join(tmpdir(), 'twofold-relying-service-'));
  app = join(work, 'app');
  cpSync(EXAMPLE_DIR, app, {
    recursive: true,
    filter: (source) => !/[/\\](node_modules|dist)([/\\]|$)|\.tgz$/.test(source),
  });
  // The example names the tarball `pnpm pack` makes of this version of the client.
  const { version } = JSON.parse(readFileSync(join(CLIENT_DIR, 'package.json'), 'utf8')) as {
    version: string;
  };
  const example = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  expect(example.dependencies['@twofold/client']).toBe(`file:twofold-client-${version}.tgz`);
  await run('pnpm', ['pack', '--pack-destination', app], { cwd: CLIENT_DIR });
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock'], {
    cwd: app,
    env: { ...plainEnv(), npm_config_loglevel: 'error' },
  });
  const tsc = join(app, 'node_modules', 'typescript', 'bin', 'tsc');
  const { stdout } = await run(process.execPath, [tsc, '-p', app, '--listFiles'], { cwd: app });
  loaded = stdout.trim().split('\n');
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the relying-service example', () => {
  it('compiles against the installed tarball, strictly, loading none of the server packages', () => {
    expect(loaded.some((file) => file.includes(join('node_modules', '@twofold', 'client', 'dist')))).toBe(
      true,
    );
    expect(loaded.filter((file) => SERVER_PACKAGES.test(file))).toEqual([]);
  });

  it('logs in with the client, accepts the live session, and refuses it once logged out', async () => {
    const account = await registerAccount(server.url);
    const { stdout } = await run(process.execPath, [join(app, 'dist', 'main.js')], {
      cwd: app,
      env: {
        ...plainEnv(),
        TWOFOLD_URL: server.url,
        TWOFOLD_USERNAME: account.username,
        TWOFOLD_PASSWORD: account.password,
      },
    });
    const steps = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(steps).toEqual([
      { step: 'logged in', user: account.username },
      {
        step: 'with the session',
        status: 200,
        body: {
          hello: expect.any(String),
          userId: account.id,
          username: account.username,
          authMethod: 'password',
        },
      },
      { step: 'after logout', status: 401, body: { refused: 'session ended' } },
    ]);
  });
});
