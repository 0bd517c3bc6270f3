import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { type ApiAppOptions, createApiApp } from '@twofold/api';
import { secureHeaders } from 'hono/secure-headers';

export interface ServerAppOptions extends ApiAppOptions {
  /** Folder of the built web app; without it `/` says how to build it. */
  webRoot?: string;
}

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * The headers of every web page (docs/contract.md § Conventions): a CSP that allows only the
 * app's own files (Vite emits no inline script or style; the QR code is a `data:` image), no
 * framing, no MIME sniffing, no referrer (reset links carry ids), HSTS once PUBLIC_URL is https.
 */
function webPageHeaders(isHttps: boolean) {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    strictTransportSecurity: isHttps ? `max-age=${ONE_YEAR_SECONDS}; includeSubDomains` : false,
  });
}

/** The API plus the web app: static files, and index.html for client-side routes. */
export function createServerApp(options: ServerAppOptions) {
  const app = createApiApp(options);
  const { webRoot } = options;
  // Registered after the API, so it runs only for what the API did not answer: the web pages.
  app.use('*', webPageHeaders(options.secureCookies ?? false)); // secureCookies: PUBLIC_URL is https
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
