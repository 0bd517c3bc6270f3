import { type ChildProcess, execFileSync, type SpawnOptions, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';

/** The server gets one core, the load generator the other (when taskset exists and there are two). */
export const SERVER_CPU = 0;
export const LOAD_CPU = 1;

export function canPin(): boolean {
  if (availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Spawns `node args…`, pinned to `cpu` with taskset when `pin` (taskset execs node: same pid). */
export function spawnNode(args: string[], cpu: number, pin: boolean, options: SpawnOptions): ChildProcess {
  if (pin) return spawn('taskset', ['-c', String(cpu), process.execPath, ...args], options);
  return spawn(process.execPath, args, options);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const READY_TIMEOUT_MS = 30_000;

/** Polls until `probe` answers, or the child dies, or the time runs out. */
export async function waitUntilReady(child: ChildProcess, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode} before ready`);
    try {
      if (await probe()) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('server not ready in time');
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** User + system CPU seconds a process has used so far (Linux /proc; undefined elsewhere). */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on every Linux ABI Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Resident memory now and at its peak, in MiB (Linux /proc). */
export function memoryOf(pid: number): { rssMiB: number; peakRssMiB: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** Where PostgreSQL ran during a window: it is not pinned, so it may share the server's core. */
export interface PostgresCpu {
  /** CPU of all `postgres` processes over the window, in % of one core. */
  cpuPercent: number;
  /** Of the samples that caught a `postgres` process running, the share on each CPU (`"0"`, `"1"`). */
  runningOnCpu: Record<string, number>;
  samples: number;
}

const POSTGRES_SAMPLE_MS = 100;

interface ProcStat {
  state: string;
  cpuSeconds: number;
  processor: string;
}

function statOf(pid: string): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    if (stat.slice(open + 1, close) !== 'postgres') return undefined;
    const fields = stat.slice(close + 2).split(' ');
    return {
      state: fields[0] ?? '',
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND,
      // Field 39 of /proc/<pid>/stat: the CPU it last ran on.
      processor: fields[36] ?? '?',
    };
  } catch {
    return undefined;
  }
}

function postgresStats(): Map<string, ProcStat> {
  const stats = new Map<string, ProcStat>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = statOf(pid);
    if (stat) stats.set(pid, stat);
  }
  return stats;
}

/**
 * Samples the machine's `postgres` processes (Linux /proc) from now until `stop()`: their CPU,
 * and which core each one caught running was on. Undefined where /proc is missing.
 */
export function samplePostgresCpu(): { stop(): PostgresCpu | undefined } {
  let before: Map<string, ProcStat>;
  try {
    before = postgresStats();
  } catch {
    return { stop: () => undefined };
  }
  const startedAt = performance.now();
  const running: Record<string, number> = {};
  let samples = 0;
  const timer = setInterval(() => {
    for (const stat of postgresStats().values()) {
      if (stat.state !== 'R') continue;
      running[stat.processor] = (running[stat.processor] ?? 0) + 1;
      samples += 1;
    }
  }, POSTGRES_SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      const seconds = (performance.now() - startedAt) / 1000;
      let cpu = 0;
      for (const [pid, stat] of postgresStats()) cpu += stat.cpuSeconds - (before.get(pid)?.cpuSeconds ?? 0);
      const runningOnCpu = Object.fromEntries(
        Object.entries(running).map(([processor, count]) => [processor, count / Math.max(1, samples)]),
      );
      return { cpuPercent: seconds > 0 ? (cpu / seconds) * 100 : 0, runningOnCpu, samples };
    },
  };
}
