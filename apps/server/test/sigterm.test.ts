import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnServer } from './support/child-server.js';
import { runCliProcess } from './support/cli.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the server process', () => {
  it('on SIGTERM lets in-flight requests finish, then exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'twofold-sigterm-'));
    dirs.push(dataDir);
    // An address, not `localhost`: resolving the name would delay the connection past SIGTERM.
    const { process: child, url } = await spawnServer({ DATA_DIR: dataDir });
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
    const { code, stderr } = await runCliProcess([], { PORT: 'not-a-port' }, 'main.js');
    expect(code).toBe(1);
    expect(stderr).toContain('PORT');
    expect(stderr).not.toMatch(/at .+\.js:\d+/);
  });
});
