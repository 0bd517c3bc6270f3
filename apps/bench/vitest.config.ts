import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The JSON report feeds the one-line summary that .ci/run prints.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The smoke run starts seven server processes (four sides, the ceiling, two scale runs); on a
    // busy machine that takes a while.
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
