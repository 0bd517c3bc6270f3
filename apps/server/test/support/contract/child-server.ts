import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const MAIN = join(SERVER_ROOT, 'dist', 'main.js');
const STARTUP_TIMEOUT_MS = 20_000;

function newestSourceMtimeMs(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newestSourceMtimeMs(path) : statSync(path).mtimeMs;
    }),
  );
}

/** Compiles apps/server to dist/ unless dist/main.js is newer than every source file. */
export function buildServer(): void {
  const isFresh = existsSync(MAIN) && statSync(MAIN).mtimeMs >= newestSourceMtimeMs(join(SERVER_ROOT, 'src'));
  if (isFresh) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(SERVER_ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
}

export interface ChildServer {
  url: string;
  process: ChildProcess;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/** `node dist/main.js` as an operator runs it, on a data dir, on a free port of 127.0.0.1. */
export function startChildServer(dataDir: string): Promise<ChildServer> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start: ${output}`));
    }, STARTUP_TIMEOUT_MS);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /"event":"listening".*?"url":"([^"]+)"/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, process: child, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${output}`));
    });
  });
}
