import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built server entry point (`pnpm build` makes it; turbo builds it before `test`). */
export const MAIN_JS = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface ChildServer {
  url: string;
  process: ChildProcess;
  /** Everything the process wrote to stdout and stderr. */
  output: string[];
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `node dist/main.js` as an operator runs it (the global setup builds it), with only PATH
 * and `env` in its environment, on port 0 of 127.0.0.1, and waits for its "listening" log line.
 * Only for what needs a process of its own (signals, crashes, several processes on one database).
 */
export function spawnServer(
  env: Record<string, string>,
  { startTimeoutMs = 20_000 } = {},
): Promise<ChildServer> {
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run pnpm build first`);
  const child = spawn(process.execPath, [MAIN_JS], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${output.join('')}`));
    }, startTimeoutMs);
    let pending = '';
    child.stdout?.on('data', (data: Buffer) => {
      const text = data.toString('utf8');
      output.push(text);
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const url = /"event":"listening".*?"url":"([^"]+)"/.exec(line)?.[1];
        if (url) {
          clearTimeout(timer);
          resolve({ url, process: child, output, exited, stop });
        }
      }
    });
    child.stderr?.on('data', (data: Buffer) => output.push(data.toString('utf8')));
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${output.join('')}`));
    });
  });
}
