/**
 * A project outside the workspace installs the packed package and type-checks against it
 * without skipLibCheck, loading only the client's, tRPC's and TypeScript's own declarations:
 * none of the server's (better-sqlite3, pg, drizzle, argon2, the core, the api, zod).
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PACKAGE_DIR = join(import.meta.dirname, '..');
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
/** The declaration files a consumer may load besides TypeScript's libs: the client's and tRPC's. */
const MAX_DECLARATION_FILES = 50;
const SERVER_PACKAGES =
  /better-sqlite3|drizzle|argon2|[/\\]pg[/\\]|@types[/\\]pg|@twofold[/\\](api|core)|[/\\]zod[/\\]/;

let consumer: string;
let packed: string[];

beforeAll(() => {
  if (!existsSync(join(PACKAGE_DIR, 'dist', 'index.d.ts'))) {
    throw new Error('build the package first: pnpm turbo run build --filter=@twofold/client');
  }
  consumer = mkdtempSync(join(tmpdir(), 'twofold-client-consumer-'));
  execFileSync('pnpm', ['pack', '--pack-destination', consumer], { cwd: PACKAGE_DIR, stdio: 'ignore' });
  const tarball = readdirSync(consumer).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error('pnpm pack made no tarball');
  packed = execFileSync('tar', ['-tzf', join(consumer, tarball)], { encoding: 'utf8' })
    .trim()
    .split('\n');
  const scope = join(consumer, 'node_modules', '@twofold');
  mkdirSync(scope, { recursive: true });
  execFileSync('tar', ['-xzf', join(consumer, tarball), '-C', scope]);
  renameSync(join(scope, 'package'), join(scope, 'client'));
  // The package's dependencies, as an install would place them.
  symlinkSync(join(PACKAGE_DIR, 'node_modules', '@trpc'), join(consumer, 'node_modules', '@trpc'));
  cpSync(join(import.meta.dirname, 'consumer'), consumer, { recursive: true });
});
afterAll(() => rmSync(consumer, { recursive: true, force: true }));

describe('the packed package', () => {
  it('holds the built code, its declarations, the OpenAPI document and the README, and no sources', () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        'package/package.json',
        'package/README.md',
        'package/LICENSE',
        'package/openapi.json',
        'package/dist/index.js',
        'package/dist/index.d.ts',
        'package/dist/rest.js',
        'package/dist/rest.d.ts',
        'package/dist/generated/app-router.d.ts',
      ]),
    );
    expect(packed.filter((file) => /^package\/(src|test|scripts)\//.test(file))).toEqual([]);
  });

  it('type-checks a consumer without skipLibCheck, loading few declaration files and none of the server', () => {
    let listed: string;
    try {
      listed = execFileSync(process.execPath, [TSC, '-p', consumer, '--listFiles'], { encoding: 'utf8' });
    } catch (error) {
      throw new Error(`the consumer does not type-check:\n${(error as { stdout: string }).stdout}`);
    }
    const declarations = listed
      .trim()
      .split('\n')
      .filter((file) => file.endsWith('.d.ts') || file.endsWith('.d.mts'))
      .filter((file) => !/[/\\]typescript[/\\]lib[/\\]/.test(file));
    expect(declarations.filter((file) => SERVER_PACKAGES.test(file))).toEqual([]);
    expect(declarations.length).toBeGreaterThan(0);
    expect(declarations.length).toBeLessThanOrEqual(MAX_DECLARATION_FILES);
  });
});
