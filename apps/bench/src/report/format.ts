import { type BenchReport, type PostgresRun, W1_OPEN_LOOP, type WorkloadRow } from '../harness.js';
import { targetsOf } from './targets.js';

const pad = (text: string, width: number) => text.padStart(width);
const fixed = (value: number | undefined, digits = 0) => (value === undefined ? '—' : value.toFixed(digits));

function find(report: BenchReport, workload: string, side: WorkloadRow['side']) {
  return report.rows.find((row) => row.workload === workload && row.side === side);
}

export interface Ratios {
  w1UsOverPeer: number | undefined;
  w1UsOverCeiling: number | undefined;
  w2UsOverPeer: number | undefined;
  /** Our throughput on PostgreSQL over ours on SQLite. */
  w1PgOverSqlite: number | undefined;
  w2PgOverSqlite: number | undefined;
  /** Ours over better-auth's, both on PostgreSQL. */
  w1PgUsOverPeerPg: number | undefined;
  w2PgUsOverPeerPg: number | undefined;
  /** better-auth's throughput on PostgreSQL over its own on SQLite. */
  w1PeerPgOverSqlite: number | undefined;
  w2PeerPgOverSqlite: number | undefined;
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
    w1PgOverSqlite: ratio(find(report, 'W1', 'twofold-pg')?.rps, find(report, 'W1', 'twofold')?.rps),
    w2PgOverSqlite: ratio(find(report, 'W2', 'twofold-pg')?.rps, find(report, 'W2', 'twofold')?.rps),
    w1PgUsOverPeerPg: ratio(find(report, 'W1', 'twofold-pg')?.rps, find(report, 'W1', 'better-auth-pg')?.rps),
    w2PgUsOverPeerPg: ratio(find(report, 'W2', 'twofold-pg')?.rps, find(report, 'W2', 'better-auth-pg')?.rps),
    w1PeerPgOverSqlite: ratio(
      find(report, 'W1', 'better-auth-pg')?.rps,
      find(report, 'W1', 'better-auth')?.rps,
    ),
    w2PeerPgOverSqlite: ratio(
      find(report, 'W2', 'better-auth-pg')?.rps,
      find(report, 'W2', 'better-auth')?.rps,
    ),
    scale100kOver1k: report.scale.length > 1 ? ratio(last?.rps, first?.rps) : undefined,
  };
}

const WORKLOAD_ORDER = ['ceiling', 'W1', W1_OPEN_LOOP, 'W2', 'W3'];

/** A workload's rows together (its sides in the order they ran), workloads in their usual order. */
function sideBySide(rows: readonly WorkloadRow[]): WorkloadRow[] {
  const rank = (row: WorkloadRow) => {
    const index = WORKLOAD_ORDER.indexOf(row.workload);
    return index === -1 ? WORKLOAD_ORDER.length : index;
  };
  return [...rows].sort((a, b) => rank(a) - rank(b));
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
    `load: autocannon (closed loop), ${s.connections} connections, ${s.warmupSeconds} s warm-up, ${s.durationSeconds} s window`,
  );
  lines.push(
    `      '${W1_OPEN_LOOP}': open loop at a fixed rate (50 % of the closed-loop W1 just measured), latency from each request's due time`,
  );
  lines.push(`password hashing: twofold ${report.passwordHashes.twofold}`);
  lines.push(`                  better-auth ${report.passwordHashes.betterAuth}`);
  const seconds = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(1)} s`);
  const describePg = (side: string, pg: PostgresRun) => {
    const setup =
      pg.w1Users === undefined
        ? ''
        : `; W1 setup: ${pg.w1Users} users seeded in ${seconds(pg.w1SeedSeconds)}, logged in in ${seconds(pg.w1LoginSeconds)}`;
    lines.push(`${side}: PostgreSQL ${pg.database}, schema ${pg.schema} (dropped)${setup}`);
  };
  if (report.postgres) describePg('twofold-pg', report.postgres);
  if (report.peerPostgres) describePg('better-auth-pg', report.peerPostgres);
  if (report.postgres || report.peerPostgres) {
    lines.push(
      '  on PostgreSQL, srv CPU % / RSS are the node process only; PostgreSQL itself runs unpinned beside it:',
    );
    for (const row of report.rows) {
      if (!row.postgres) continue;
      const shares = Object.entries(row.postgres.runningOnCpu)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([cpu, share]) => `CPU ${cpu} ${(share * 100).toFixed(0)} %`)
        .join(', ');
      lines.push(
        `    ${row.workload} ${row.side}: postgres processes ${row.postgres.cpuPercent.toFixed(0)} % of a core; seen running on ${shares || 'no sample'} (${row.postgres.samples} samples)`,
      );
    }
  }
  lines.push('');
  const header = [
    'workload',
    'side',
    'req/s',
    'p50 ms',
    'p99 ms',
    'p99.9 ms',
    'requests',
    'errors',
    'srv CPU %',
    'srv RSS MiB',
  ];
  const widths = [9, 15, 9, 8, 8, 9, 9, 7, 10, 12];
  lines.push(header.map((h, i) => pad(h, widths[i]!)).join(' '));
  for (const row of sideBySide(report.rows)) {
    const cells = [
      row.workload,
      row.side,
      fixed(row.rps),
      fixed(row.p50Ms, 1),
      fixed(row.p99Ms, 1),
      fixed(row.p999Ms, 1),
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
  lines.push(`W1 us/better-auth: ${x(r.w1UsOverPeer)}   (closed loop)`);
  lines.push(
    `W1 us/ceiling:     ${r.w1UsOverCeiling === undefined ? '—' : `${(r.w1UsOverCeiling * 100).toFixed(1)} %`}`,
  );
  lines.push(`W2 us/better-auth: ${x(r.w2UsOverPeer, 2)}`);
  const percent = (value: number | undefined) =>
    value === undefined ? '—' : `${(value * 100).toFixed(0)} %`;
  if (report.postgres) {
    lines.push(`W1 PostgreSQL/SQLite: ${percent(r.w1PgOverSqlite)}`);
    lines.push(`W2 PostgreSQL/SQLite: ${percent(r.w2PgOverSqlite)}`);
  }
  if (report.peerPostgres) {
    lines.push(`W1 us/better-auth on PostgreSQL: ${x(r.w1PgUsOverPeerPg)}`);
    lines.push(`W2 us/better-auth on PostgreSQL: ${x(r.w2PgUsOverPeerPg, 2)}`);
    lines.push(`W1 better-auth PostgreSQL/SQLite: ${percent(r.w1PeerPgOverSqlite)}`);
    lines.push(`W2 better-auth PostgreSQL/SQLite: ${percent(r.w2PeerPgOverSqlite)}`);
  }
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
        `  ${pad(String(row.users), 9)} MFA users (built in ${row.buildSeconds.toFixed(1)} s, ${row.buildCpuSeconds.toFixed(1)} s of CPU): ${fixed(row.rps)} req/s, p50 ${fixed(row.p50Ms, 1)} ms, p99 ${fixed(row.p99Ms, 1)} ms, ${row.requests} requests, ${row.failures} errors`,
      );
    }
    if (r.scale100kOver1k !== undefined) {
      lines.push(`  largest/smallest throughput: ${(r.scale100kOver1k * 100).toFixed(0)} % (target ≥ 90 %)`);
    }
  }
  lines.push('');
  lines.push('Targets (issue 17):');
  for (const t of targetsOf(report)) {
    const status = t.met === undefined ? 'not measured' : t.met ? 'met' : 'NOT MET';
    lines.push(`  ${pad(status, 12)}  ${t.target}: ${t.measured}`);
  }
  lines.push('');
  if (report.problems.length === 0) lines.push('RESULT: valid (every response a success)');
  else {
    lines.push('NOT A RESULT:');
    for (const problem of report.problems) lines.push(`  - ${problem}`);
  }
  return lines.join('\n');
}
