import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runBench } from './harness.js';
import { type BenchOptions, FULL_OPTIONS, SMOKE_OPTIONS, WORKLOADS, type WorkloadId } from './options.js';
import { formatReport, ratiosOf } from './report/format.js';

/** The repository root's bench-results/ (git-ignored). */
const RESULTS_DIR = fileURLToPath(new URL('../../../bench-results', import.meta.url));

function parseOptions(): BenchOptions {
  const { values } = parseArgs({
    // `pnpm run bench -- --only w1` passes the `--` through.
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      smoke: { type: 'boolean', default: false },
      only: { type: 'string' },
      'w1-users': { type: 'string' },
      'peer-w1-users': { type: 'string' },
      'pg-w1-users': { type: 'string' },
      duration: { type: 'string' },
      'no-peer': { type: 'boolean', default: false },
      'no-pg': { type: 'boolean', default: false },
      'pg-url': { type: 'string' },
    },
  });
  const base = values.smoke ? SMOKE_OPTIONS : FULL_OPTIONS;
  const only = values.only?.split(',').map((id) => id.trim()) as WorkloadId[] | undefined;
  for (const id of only ?? []) {
    if (!WORKLOADS.includes(id)) throw new Error(`unknown workload ${id}; known: ${WORKLOADS.join(', ')}`);
  }
  const pgUrl = values['pg-url'] || process.env.BENCH_DATABASE_URL;
  return {
    ...base,
    ...(only ? { workloads: new Set(only) } : {}),
    ...(values['w1-users'] ? { w1Users: Number(values['w1-users']) } : {}),
    ...(values['peer-w1-users'] ? { peerW1Users: Number(values['peer-w1-users']) } : {}),
    ...(values['pg-w1-users'] ? { pgW1Users: Number(values['pg-w1-users']) } : {}),
    ...(values.duration ? { durationSeconds: Number(values.duration) } : {}),
    skipPeer: values['no-peer'],
    skipPg: values['no-pg'],
    ...(pgUrl ? { pgUrl } : {}),
    resultsDir: RESULTS_DIR,
    log: (line) => console.log(line),
  };
}

async function main(): Promise<void> {
  const options = parseOptions();
  const report = await runBench(options);
  console.log('');
  console.log(formatReport(report));
  if (options.resultsDir) {
    mkdirSync(options.resultsDir, { recursive: true });
    const file = join(options.resultsDir, `bench-${report.startedAt.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify({ ...report, ratios: ratiosOf(report) }, null, 2)}\n`);
    console.log(`\nJSON: ${file}`);
  }
  if (report.problems.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
