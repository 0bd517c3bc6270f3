import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The JSON report feeds the one-line summary that .ci/run prints.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Tests spawn `dist/main.js` as operators run it: build it first when stale.
    globalSetup: ['test/support/contract/build-server.global.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
