import { buildServer } from './child-server.js';

/**
 * Vitest global setup: compiles dist/ once before any test file runs, when it is older than
 * the source, so tests that spawn `dist/main.js` run the current code and never race a build.
 */
export default function setup(): void {
  buildServer();
}
