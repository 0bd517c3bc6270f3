import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The JSON report feeds the one-line summary that .ci/run prints.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The smoke run starts six server processes; on a busy machine that takes a while.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
