#!/usr/bin/env node
// Sums the vitest JSON reports of every package into one closing line for CI.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const packages = [
  'packages/core',
  'packages/api',
  'packages/client',
  'apps/server',
  'apps/web',
  'apps/bench',
];
let passed = 0;
let failed = 0;
for (const dir of packages) {
  const file = join(dir, 'test-results', 'vitest.json');
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  console.log(`${dir}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}
console.log(`Tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
