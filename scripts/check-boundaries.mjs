#!/usr/bin/env node
// Proves the layer boundaries in biome.json (style/noRestrictedImports) still bite: writes a
// fixture file into each layer, lints it with that one rule, and fails unless exactly the
// forbidden imports are reported. A rule that silently stopped matching (a renamed folder, a
// biome upgrade that changed pattern semantics) would otherwise pass `biome check` forever.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURE = '__boundary-fixture__.ts';

/** Per folder: the imports to try, and whether the boundary must reject each. */
const cases = {
  'packages/api/src': [
    ['drizzle-orm', true],
    ['drizzle-orm/sqlite-core', true],
    ['better-sqlite3', true],
    ['pg', true],
    ['../../core/src/index.js', true],
    ['@twofold/core/src/index.js', true],
    ['@twofold/core', false],
    ['./app.js', false],
  ],
  'apps/web/src': [
    ['drizzle-orm', true],
    ['pg', true],
    ['@twofold/api/src/router.js', true],
    ['@trpc/client', false],
  ],
  'apps/server/test': [
    ['../../../packages/core/src/index.js', true],
    ['@twofold/core/testing', false],
    ['../src/config.js', false],
  ],
  'packages/client/src': [
    ['@twofold/api', true],
    ['@twofold/core', true],
    ['@twofold/core/testing', true],
    ['drizzle-orm', true],
    ['pg', true],
    ['@trpc/client', false],
    ['./trpc-client.js', false],
  ],
  'packages/core/src': [
    ['drizzle-orm', false],
    ['better-sqlite3', false],
    ['pg', false],
    ['../../api/src/app.js', true],
  ],
};

let failures = 0;
for (const [dir, imports] of Object.entries(cases)) {
  const file = join(dir, FIXTURE);
  const source = imports.map(([specifier], i) => `import m${i} from '${specifier}';`).join('\n');
  writeFileSync(file, `${source}\nexport const all = [${imports.map((_, i) => `m${i}`).join(', ')}];\n`);
  let report;
  try {
    const out = execFileSync(
      'biome',
      ['lint', '--only=style/noRestrictedImports', '--reporter=json', '--max-diagnostics=none', file],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    ).toString();
    report = JSON.parse(out);
  } catch (error) {
    // biome exits 1 when it reports errors; its JSON report is still on stdout.
    report = JSON.parse(error.stdout);
  } finally {
    rmSync(file, { force: true });
  }
  const rejectedLines = new Set(
    report.diagnostics
      .filter((d) => d.category === 'lint/style/noRestrictedImports')
      .map((d) => d.location.start.line),
  );
  imports.forEach(([specifier, mustReject], i) => {
    if (rejectedLines.has(i + 1) === mustReject) return;
    failures += 1;
    console.error(`${dir}: import '${specifier}' was ${mustReject ? 'allowed' : 'rejected'}`);
  });
}
if (failures > 0) {
  console.error(`boundary rule: ${failures} case(s) wrong (biome.json, style/noRestrictedImports)`);
  process.exit(1);
}
console.log('boundary rule: every forbidden import rejected, every allowed one accepted');
