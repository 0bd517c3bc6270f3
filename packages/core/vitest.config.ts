import { defineConfig } from 'vitest/config';

/** Tests of one store's own machinery; every other test runs on both stores. */
const SQLITE_ONLY = 'src/store/sqlite/**';
const POSTGRES_ONLY = 'src/store/postgres/**';

export default defineConfig({
  test: {
    // The JSON report feeds the one-line summary that .ci/run prints.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [POSTGRES_ONLY],
          env: { TWOFOLD_TEST_STORE: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [SQLITE_ONLY],
          env: { TWOFOLD_TEST_STORE: 'postgres' },
          globalSetup: ['./vitest.postgres-setup.ts'],
        },
      },
    ],
  },
});
