import { openTestCore, type StoreTestCore } from '@twofold/core/testing';
import { createApiApp } from '../src/app.js';
import { silentLogger } from '../src/logger.js';
import type { TrustProxy } from '../src/rest/trust-proxy.js';

export interface TestApi extends StoreTestCore {
  app: ReturnType<typeof createApiApp>;
  /** JSON request against the app, as a client on `clientAddress` would send it. */
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

export async function openTestApi(options: { trustProxy?: TrustProxy } = {}): Promise<TestApi> {
  const t = await openTestCore();
  const app = createApiApp({ core: t.core, logger: silentLogger, trustProxy: options.trustProxy });
  return {
    ...t,
    app,
    send: async (method, path, body, headers = {}) =>
      app.request(path, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
  };
}
