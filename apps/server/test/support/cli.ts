import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `twofold <args>` (or another built entry point of dist/, as operators run it: the global
 * setup builds it) in a process of its own, with only PATH and `env` in its environment.
 */
export function runCliProcess(
  args: string[],
  env: Record<string, string> = {},
  script: 'cli.js' | 'migrate-store.js' | 'main.js' = 'cli.js',
): Promise<CliRun> {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL(`../../dist/${script}`, import.meta.url)), ...args],
    {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data: Buffer) => {
    stdout += data.toString('utf8');
  });
  child.stderr.on('data', (data: Buffer) => {
    stderr += data.toString('utf8');
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}
