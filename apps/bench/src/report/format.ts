import type { BenchReport, WorkloadRow } from '../harness.js';

const pad = (text: string, width: number) => text.padStart(width);
const fixed = (value: number | undefined, digits = 0) => (value === undefined ? '—' : value.toFixed(digits));

function find(report: BenchReport, workload: string, side: WorkloadRow['side']) {
  return report.rows.find((row) => row.workload === workload && row.side === side);
}

export interface Ratios {
  w1UsOverPeer: number | undefined;
  w1UsOverCeiling: number | undefined;
  w2UsOverPeer: number | undefined;
  scale100kOver1k: number | undefined;
}

export function ratiosOf(report: BenchReport): Ratios {
  const ratio = (a: number | undefined, b: number | undefined) =>
    a !== undefined && b !== undefined && b > 0 ? a / b : undefined;
  const ceiling = find(report, 'ceiling', 'ceiling')?.rps;
  const first = report.scale[0];
  const last = report.scale[report.scale.length - 1];
  return {
    w1UsOverPeer: ratio(find(report, 'W1', 'twofold')?.rps, find(report, 'W1', 'better-auth')?.rps),
    w1UsOverCeiling: ratio(find(report, 'W1', 'twofold')?.rps, ceiling),
    w2UsOverPeer: ratio(find(report, 'W2', 'twofold')?.rps, find(report, 'W2', 'better-auth')?.rps),
    scale100kOver1k: report.scale.length > 1 ? ratio(last?.rps, first?.rps) : undefined,
  };
}

/** The run as text: one table, the ratios, W0, the scale runs, and whether the run is a result. */
export function formatReport(report: BenchReport): string {
  const lines: string[] = [];
  const m = report.machine;
  lines.push(`machine: ${m.cpuModel}, ${m.cpus} cores, node ${m.node}, ${m.platform}`);
  lines.push(
    m.pinned
      ? 'pinning: server on CPU 0, load generator on CPU 1 (taskset)'
      : 'pinning: NONE (taskset missing or fewer than 2 cores): numbers share cores freely',
  );
  const s = report.settings;
  lines.push(
    `load: autocannon, ${s.connections} connections, ${s.warmupSeconds} s warm-up, ${s.durationSeconds} s window`,
  );
  lines.push(`password hashing: twofold ${report.passwordHashes.twofold}`);
  lines.push(`                  better-auth ${report.passwordHashes.betterAuth}`);
  lines.push('');
  const header = [
    'workload',
    'side',
    'req/s',
    'p50 ms',
    'p99 ms',
    'requests',
    'errors',
    'srv CPU %',
    'srv RSS MiB',
  ];
  const widths = [9, 12, 9, 8, 8, 9, 7, 10, 12];
  lines.push(header.map((h, i) => pad(h, widths[i]!)).join(' '));
  for (const row of report.rows) {
    const cells = [
      row.workload,
      row.side,
      fixed(row.rps),
      fixed(row.p50Ms, 1),
      fixed(row.p99Ms, 1),
      String(row.requests),
      String(row.failures) + (row.exhausted ? '*' : ''),
      fixed(row.serverCpuPercent),
      fixed(row.serverPeakRssMiB),
    ];
    lines.push(cells.map((c, i) => pad(c, widths[i]!)).join(' '));
  }
  if (report.rows.some((row) => row.exhausted))
    lines.push('  * the prepared challenges ran out before the window ended');
  const r = ratiosOf(report);
  const x = (value: number | undefined, digits = 1) =>
    value === undefined ? '—' : `${value.toFixed(digits)}×`;
  lines.push('');
  lines.push(`W1 us/better-auth: ${x(r.w1UsOverPeer)}   (target ≥ 20×)`);
  lines.push(
    `W1 us/ceiling:     ${r.w1UsOverCeiling === undefined ? '—' : `${(r.w1UsOverCeiling * 100).toFixed(1)} %`}   (target ≥ 25 %)`,
  );
  lines.push(`W2 us/better-auth: ${x(r.w2UsOverPeer, 2)}`);
  if (report.w0) {
    const w0 = report.w0;
    lines.push('');
    lines.push(
      `W0 in-process TOTP verify/s: twofold ${w0.twofoldVerifyPerSecond.toFixed(0)}, bare node:crypto ${w0.bareVerifyPerSecond.toFixed(0)} (${((w0.twofoldVerifyPerSecond / w0.bareVerifyPerSecond) * 100).toFixed(0)} %), one HMAC-SHA1 ${w0.bareHmacPerSecond.toFixed(0)}/s`,
    );
  }
  if (report.scale.length > 0) {
    lines.push('');
    lines.push('W1 against DB size (fixed request count per run):');
    for (const row of report.scale) {
      lines.push(
        `  ${pad(String(row.users), 7)} MFA users: ${fixed(row.rps)} req/s, p50 ${fixed(row.p50Ms, 1)} ms, p99 ${fixed(row.p99Ms, 1)} ms, ${row.requests} requests, ${row.failures} errors`,
      );
    }
    if (r.scale100kOver1k !== undefined) {
      lines.push(`  largest/smallest throughput: ${(r.scale100kOver1k * 100).toFixed(0)} % (target ≥ 90 %)`);
    }
  }
  lines.push('');
  if (report.problems.length === 0) lines.push('RESULT: valid (every response a success)');
  else {
    lines.push('NOT A RESULT:');
    for (const problem of report.problems) lines.push(`  - ${problem}`);
  }
  return lines.join('\n');
}
