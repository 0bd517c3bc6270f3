import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { distFile } from '../dist-file.js';
import {
  cpuSecondsOf,
  LOAD_CPU,
  memoryOf,
  type PostgresCpu,
  samplePostgresCpu,
  spawnNode,
} from '../processes.js';
import type { LoadMessage, LoadResult, LoadSpec } from './spec.js';

const LOAD_PROCESS = distFile('load/load-process.js');

interface ServerSample {
  /** Server CPU during the window, in % of one core. */
  cpuPercent: number | undefined;
  rssMiB: number | undefined;
  peakRssMiB: number | undefined;
}

export interface MeasuredLoad extends LoadResult {
  server: ServerSample;
  /** Where PostgreSQL ran during the window, when asked for. */
  postgres: PostgresCpu | undefined;
}

/** Runs one workload from a separate (pinned) load process and samples the server around its window. */
export async function runLoad(
  spec: LoadSpec,
  serverPid: number,
  workDir: string,
  pin: boolean,
  name: string,
  { samplePostgres = false }: { samplePostgres?: boolean } = {},
): Promise<MeasuredLoad> {
  const specFile = join(workDir, `load-${name}.json`);
  writeFileSync(specFile, JSON.stringify(spec));
  const child = spawnNode([LOAD_PROCESS, specFile], LOAD_CPU, pin, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let cpuAtStart: number | undefined;
  let postgresSampler: ReturnType<typeof samplePostgresCpu> | undefined;
  let postgres: PostgresCpu | undefined;
  let startedAt = 0;
  const server: ServerSample = { cpuPercent: undefined, rssMiB: undefined, peakRssMiB: undefined };
  const result = await new Promise<LoadResult>((resolve, reject) => {
    let done: LoadResult | undefined;
    child.on('message', (message: LoadMessage) => {
      if (message.type === 'window-start') {
        cpuAtStart = cpuSecondsOf(serverPid);
        startedAt = performance.now();
        if (samplePostgres) postgresSampler = samplePostgresCpu();
      } else if (message.type === 'window-end') {
        const cpuAtEnd = cpuSecondsOf(serverPid);
        postgres = postgresSampler?.stop();
        const seconds = (performance.now() - startedAt) / 1000;
        if (cpuAtStart !== undefined && cpuAtEnd !== undefined && seconds > 0) {
          server.cpuPercent = ((cpuAtEnd - cpuAtStart) / seconds) * 100;
        }
        const memory = memoryOf(serverPid);
        server.rssMiB = memory?.rssMiB;
        server.peakRssMiB = memory?.peakRssMiB;
      } else {
        done = message.result;
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (done) resolve(done);
      else reject(new Error(`load process for ${name} exited with code ${code}`));
    });
  });
  return { ...result, server, postgres };
}
