import { defineConfig } from 'vitest/config';

/**
 * The security and race suites also run on PostgreSQL (their servers get a schema of their
 * own); the flow suites run on SQLite, and test/postgres runs the instances on PostgreSQL.
 * Left out there: what reads SQLite's files or migrates SQLite databases, and the flood test
 * (about CPU, not storage).
 */
const ON_BOTH_STORES = ['test/security/**/*.test.ts', 'test/*.race.test.ts'];
const SQLITE_ONLY = [
  'test/security/data-dir-keys.security.test.ts',
  'test/security/dev-mailbox.security.test.ts',
  'test/security/flood-latency.security.test.ts',
  'test/security/leakage.security.test.ts',
  'test/security/namespace.security.test.ts',
];

export default defineConfig({
  test: {
    // The JSON report feeds the one-line summary that .ci/run prints.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    // Tests spawn `dist/main.js` as operators run it: build it first when stale.
    globalSetup: ['test/support/build-server.global.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // No suite here replaces a module (vi.mock): the files of a worker share one module graph,
    // so the server, core and drivers load once per worker instead of once per file.
    isolate: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          env: { TWOFOLD_TEST_STORE: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ON_BOTH_STORES,
          exclude: SQLITE_ONLY,
          env: { TWOFOLD_TEST_STORE: 'postgres' },
        },
      },
    ],
  },
});
