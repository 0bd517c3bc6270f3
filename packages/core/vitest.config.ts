import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/** Tests of one store's own machinery; every other test runs on both stores. */
const SQLITE_ONLY = 'src/store/sqlite/**';
const POSTGRES_ONLY = 'src/store/postgres/**';
const INCLUDE = ['src/**/*.test.ts', 'test/**/*.test.ts'];
/**
 * Files that replace a module with `vi.mock` need a module graph of their own. Every other file
 * shares its worker's (isolate: false): loading drizzle, the drivers and the core once per
 * worker instead of once per file halves the suite's CPU time.
 */
const MOCKING = ['src/auth/login-proven-client.security.test.ts'];

function onStore(store: 'sqlite' | 'postgres', exclude: string[]): TestProjectInlineConfiguration[] {
  const shared = {
    env: { TWOFOLD_TEST_STORE: store },
    ...(store === 'postgres' ? { globalSetup: ['./vitest.postgres-setup.ts'] } : {}),
  };
  return [
    {
      extends: true,
      test: { ...shared, name: store, include: INCLUDE, exclude: [...exclude, ...MOCKING], isolate: false },
    },
    { extends: true, test: { ...shared, name: `${store}:isolated`, include: MOCKING, exclude } },
  ];
}

export default defineConfig({
  test: {
    // The JSON report feeds the one-line summary that .ci/run prints.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [...onStore('sqlite', [POSTGRES_ONLY]), ...onStore('postgres', [SQLITE_ONLY])],
  },
});
