import { openPostgresStore } from '@twofold/core';
import { TEST_DATABASE_URL } from '@twofold/core/testing';
import { describe, expect, it } from 'vitest';
import { runBench } from '../src/harness.js';
import { SMOKE_OPTIONS } from '../src/options.js';
import { formatReport } from '../src/report/format.js';

/**
 * The benchmark harness end to end at tiny settings (a few requests per workload, both
 * servers, each on SQLite and on PostgreSQL, the ceiling and the scale runs), so `pnpm bench`
 * cannot rot unnoticed.
 * Runs against the built dist of the server and of this package.
 */
describe('pnpm bench harness (smoke)', () => {
  it('runs every workload against every side with every response a success', async () => {
    const lines: string[] = [];
    const report = await runBench({
      ...SMOKE_OPTIONS,
      resultsDir: undefined,
      log: (line) => lines.push(line),
    });

    expect(report.problems).toEqual([]);
    const sides = report.rows.map((row) => `${row.workload}/${row.side}`).sort();
    expect(sides).toEqual([
      'W1 open/twofold',
      'W1/better-auth',
      'W1/better-auth-pg',
      'W1/twofold',
      'W1/twofold-pg',
      'W2/better-auth',
      'W2/better-auth-pg',
      'W2/twofold',
      'W2/twofold-pg',
      'W3/twofold',
      'ceiling/ceiling',
    ]);
    for (const row of report.rows) {
      expect(row.requests, `${row.workload}/${row.side}`).toBeGreaterThan(0);
      expect(row.failures).toBe(0);
    }
    expect(report.scale.map((row) => row.users)).toEqual([...SMOKE_OPTIONS.scaleUsers]);
    for (const row of report.scale) {
      expect(row.requests).toBeGreaterThan(0);
      expect(row.buildSeconds).toBeGreaterThan(0);
    }
    const open = report.rows.find((row) => row.workload === 'W1 open');
    expect(open?.offeredRps).toBeGreaterThan(0);
    expect(report.w0?.twofoldVerifyPerSecond).toBeGreaterThan(0);
    expect(report.w0?.bareVerifyPerSecond).toBeGreaterThan(0);

    // Each PostgreSQL side seeded in a schema of its own, and dropped it.
    expect(report.postgres?.w1Users).toBe(SMOKE_OPTIONS.w1Users);
    expect(report.peerPostgres?.w1Users).toBe(SMOKE_OPTIONS.peerW1Users);
    for (const run of [report.postgres, report.peerPostgres]) {
      expect(run?.w1SeedSeconds).toBeGreaterThan(0);
      expect(run?.schema).toMatch(/^bench_/);
      expect(await schemaExists(run?.schema ?? '')).toBe(false);
    }
    expect(report.peerPostgres?.schema).not.toBe(report.postgres?.schema);

    const text = formatReport(report);
    expect(text).toContain('W1 us/better-auth');
    expect(text).toContain('W1 PostgreSQL/SQLite');
    expect(text).toContain('W1 us/better-auth on PostgreSQL');
    expect(text).toContain('Targets (issue 17):');
    expect(text).toMatch(/W1 on SQLite, open loop at 50 % of the W1 maximum: p99 < 5 ms[^\n]*: p99 \d/);
    expect(text).toMatch(/postgres processes \d+ % of a core/);
    expect(text).toContain('RESULT: valid');
  });
});

async function schemaExists(name: string): Promise<boolean> {
  const store = openPostgresStore(TEST_DATABASE_URL, { maxConnections: 1 });
  try {
    const result = await store.pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [name]);
    return result.rowCount === 1;
  } finally {
    await store.close();
  }
}
