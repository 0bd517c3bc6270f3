import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts the built server as a real process and resolves with its URL from the log. */
function spawnServer(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"event":"listening","url":"([^"]+)"/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1], output: () => output });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}

describe('the server process', () => {
  it('on SIGTERM lets in-flight requests finish, then exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'twofold-sigterm-'));
    dirs.push(dataDir);
    // An address, not `localhost`: resolving the name would delay the connection past SIGTERM.
    const { child, url } = await spawnServer({ PORT: '0', DATA_DIR: dataDir, HOST: '127.0.0.1' });
    expect(new URL(url).hostname).toBe('127.0.0.1');
    // Registration hashes a password (tens of ms): still running when SIGTERM arrives.
    const inFlight = fetch(`${url}/api/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'T',
        email: 't@example.test',
        username: 'term',
        password: 'graceful stop',
      }),
    });
    await new Promise((r) => setTimeout(r, 5));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await exited).toBe(0);
  });

  it('refuses to start on a bad configuration, naming the variable', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, PORT: 'not-a-port' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('PORT');
    expect(stderr).not.toMatch(/at .+\.js:\d+/);
  });
});
