import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { openTestCore, type StoreTestCore } from '@twofold/core/testing';
import { createApiApp } from '../../src/app.js';
import type { Logger } from '../../src/logger.js';

export interface Listening {
  url: string;
  t: StoreTestCore;
  /** Every line logged, as JSON text. */
  logs: string[];
  close(): Promise<void>;
}

/** The API on a real listener (127.0.0.1, ephemeral port) over a fresh migrated database of the test store. */
export async function listenApi(): Promise<Listening> {
  const t = await openTestCore();
  const logs: string[] = [];
  const write = (level: string) => (event: string, fields?: Record<string, unknown>) => {
    logs.push(JSON.stringify({ level, event, ...fields }));
  };
  const logger: Logger = { info: write('info'), error: write('error') };
  const app = createApiApp({ core: t.core, logger });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    t,
    logs,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close(() => {
          t.close().then(resolve, reject);
        });
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
