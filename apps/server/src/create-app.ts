import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { type ApiAppOptions, createApiApp } from '@twofold/api';

export interface ServerAppOptions extends ApiAppOptions {
  /** Folder of the built web app; without it `/` says how to build it. */
  webRoot?: string;
}

/** The API plus the web app: static files, and index.html for client-side routes. */
export function createServerApp(options: ServerAppOptions) {
  const app = createApiApp(options);
  const { webRoot } = options;
  if (!webRoot) {
    app.get('*', (c) => c.text('The web app is not built: run `pnpm build`.', 404));
    return app;
  }
  const indexHtml = readFileSync(join(webRoot, 'index.html'), 'utf8');
  // serveStatic's root is relative to the working directory.
  app.use('/*', serveStatic({ root: relative(process.cwd(), webRoot) || '.' }));
  app.get('*', (c) => c.html(indexHtml));
  return app;
}
