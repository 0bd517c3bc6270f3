import { describe, expect, it } from 'vitest';
import { runBench } from '../src/harness.js';
import { SMOKE_OPTIONS } from '../src/options.js';
import { formatReport } from '../src/report/format.js';

/**
 * The benchmark harness end to end at tiny settings (a few requests per workload, both
 * servers, the ceiling and the scale runs), so `pnpm bench` cannot rot unnoticed.
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
      'W1/better-auth',
      'W1/twofold',
      'W2/better-auth',
      'W2/twofold',
      'W3/twofold',
      'ceiling/ceiling',
    ]);
    for (const row of report.rows) {
      expect(row.requests, `${row.workload}/${row.side}`).toBeGreaterThan(0);
      expect(row.failures).toBe(0);
    }
    expect(report.scale.map((row) => row.users)).toEqual([...SMOKE_OPTIONS.scaleUsers]);
    for (const row of report.scale) expect(row.requests).toBeGreaterThan(0);
    expect(report.w0?.twofoldVerifyPerSecond).toBeGreaterThan(0);
    expect(report.w0?.bareVerifyPerSecond).toBeGreaterThan(0);

    const text = formatReport(report);
    expect(text).toContain('W1 us/better-auth');
    expect(text).toContain('RESULT: valid');
  });
});
