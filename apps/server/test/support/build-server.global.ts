import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(SERVER_ROOT, 'dist', 'main.js');

function newestSourceMtimeMs(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newestSourceMtimeMs(path) : statSync(path).mtimeMs;
    }),
  );
}

/**
 * Vitest global setup: compiles dist/ once before any test file runs, when it is older than
 * the source, so tests that spawn `dist/main.js` run the current code and never race a build.
 */
export default function setup(): void {
  const isFresh = existsSync(MAIN) && statSync(MAIN).mtimeMs >= newestSourceMtimeMs(join(SERVER_ROOT, 'src'));
  if (isFresh) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(SERVER_ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
}
