import { distFile } from '../dist-file.js';
import { freePort, SERVER_CPU, spawnNode, waitUntilReady } from '../processes.js';
import type { RunningServer } from '../setup/types.js';

const CEILING_SERVER = distFile('servers/ceiling-server.js');

export async function startCeiling(pin: boolean, logFd: number): Promise<RunningServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, PORT: String(port), NODE_ENV: 'production' };
  const child = spawnNode([CEILING_SERVER], SERVER_CPU, pin, { env, stdio: ['ignore', logFd, logFd] });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(child, async () => {
    const response = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    return response.ok;
  });
  return { child, url, pid: child.pid! };
}
