import { defineConfig } from 'vitest/config';

/**
 * Every suite runs on both stores (packages/core's projects), but for what is about SQLite's
 * own file: the disk-full test caps the file's page count.
 */
const SQLITE_ONLY = ['test/reliability/disk-full.reliability.test.ts'];
const INCLUDE = ['src/**/*.test.ts', 'test/**/*.test.ts'];

export default defineConfig({
  test: {
    // The JSON report feeds the one-line summary that .ci/run prints.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // No suite here replaces a module (vi.mock): the files of a worker share one module graph,
    // so the core, drizzle and the drivers load once per worker instead of once per file.
    isolate: false,
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: INCLUDE, env: { TWOFOLD_TEST_STORE: 'sqlite' } },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: INCLUDE,
          exclude: SQLITE_ONLY,
          env: { TWOFOLD_TEST_STORE: 'postgres' },
          globalSetup: ['./vitest.postgres-setup.ts'],
        },
      },
    ],
  },
});
