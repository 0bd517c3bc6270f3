import type { CoreConfig } from '@twofold/core';
import { openTestCore, type StoreTestCore, TEST_META } from '@twofold/core/testing';
import { createApiApp } from '../src/app.js';
import { toDomainError } from '../src/errors/to-domain-error.js';
import { silentLogger } from '../src/logger.js';
import { createCaller } from '../src/router.js';

export interface ApiTestbed extends StoreTestCore {
  app: ReturnType<typeof createApiApp>;
  /** A tRPC caller as the given session (or anonymous). */
  caller(sessionToken?: string): ReturnType<typeof createCaller>;
  /** An HTTP request through the Hono app (no listener). */
  request(
    method: string,
    path: string,
    options?: {
      body?: unknown;
      rawBody?: string;
      token?: string;
      contentType?: string;
      headers?: Record<string, string>;
    },
  ): Promise<Response>;
}

/** A fresh, migrated database on the store this test process runs on (`openTestCore`), and the API over it. */
export async function openApiTestbed(overrides: Partial<CoreConfig> = {}): Promise<ApiTestbed> {
  const t = await openTestCore(overrides);
  const app = createApiApp({ core: t.core, logger: silentLogger });
  return {
    ...t,
    app,
    caller: (sessionToken) => createCaller({ core: t.core, meta: TEST_META, sessionToken }),
    request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined;
      if (options.rawBody !== undefined) body = options.rawBody;
      else if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined) headers['content-type'] ??= options.contentType ?? 'application/json';
      return Promise.resolve(app.request(path, { method, headers, ...(body === undefined ? {} : { body }) }));
    },
  };
}

/** The domain code a procedure call failed with (what clients read as `data.appCode`). */
export async function appCodeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return toDomainError(error).code;
  }
  throw new Error('expected the call to fail');
}
