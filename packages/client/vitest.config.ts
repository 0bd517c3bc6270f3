import { defineConfig } from 'vitest/config';

/**
 * The client speaks HTTP; which store answers behind the API is no concern of its own, so its
 * suites run once, on the default store (SQLite).
 */
export default defineConfig({
  test: {
    // The JSON report feeds the one-line summary that .ci/run prints.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    include: ['test/**/*.test.ts'],
    // Regenerating the clients and type-checking a consumer each take seconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
