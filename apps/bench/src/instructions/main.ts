/**
 * W1's CPU instructions per request, counted by valgrind's callgrind: `pnpm bench:instructions`
 * [-- --against <checkout> --requests N --rounds K]. Timed figures move with whatever else the
 * machine runs; instruction counts do not (BENCHMARKS.md § Instructions per W1). Each checkout
 * (this one, and `--against` another built one, e.g. a `git worktree` of an earlier commit)
 * seeds with its own bench code, serves with its own built server, and the two alternate.
 * Kernel time (writes, fsync) is not counted: the timed W1 of `pnpm bench` stays the figure for
 * throughput; this one says what a change costs in code.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '../processes.js';

/** The bench setup a checkout's `apps/bench/dist` exports (as this one's does). */
interface CheckoutSetup {
  createTwofoldSecrets(): Record<string, string>;
  openSetupCore(
    database: { dialect: 'sqlite'; dataDir: string },
    secrets: Record<string, string>,
  ): Promise<unknown>;
  closeSetupCore(core: unknown): Promise<void>;
  setupPasswordHash(): Promise<string>;
  seedTwofoldUsers(
    core: unknown,
    prefix: string,
    count: number,
    passwordHash: string,
    hasMfa: boolean,
  ): Promise<{ username: string; totpSecret: string }[]>;
  loginForChallenges(
    core: unknown,
    users: readonly { username: string; totpSecret: string }[],
  ): Promise<{ token: string; totpSecret: string }[]>;
}
interface CheckoutTotp {
  decodeBase32(text: string): Buffer;
  totpCodeAt(key: Buffer, step: number): string;
  timeStepAt(epochMs: number): number;
}

const THIS_CHECKOUT = fileURLToPath(new URL('../../../../', import.meta.url));
/** The server reads HOST; valgrind names its control pipe after it too, so both sides agree. */
const HOST = '127.0.0.1';
const controlEnv = { ...process.env, USER: 'root', LOGNAME: 'root', HOST };

async function importFrom<T>(checkout: string, file: string): Promise<T> {
  return (await import(join(checkout, 'apps/bench/dist', file))) as T;
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode})`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // Not listening yet (valgrind starts slowly).
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('server did not answer /healthz');
}

/** Instructions per W1 request of `checkout`'s built server: `warmup` requests, then `requests` counted. */
async function instructionsPerW1(checkout: string, requests: number, warmup: number): Promise<number> {
  const setup = await importFrom<CheckoutSetup>(checkout, 'setup/twofold.js');
  const totp = await importFrom<CheckoutTotp>(checkout, 'totp-code.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'twofold-instructions-'));
  try {
    const secrets = setup.createTwofoldSecrets();
    const core = await setup.openSetupCore({ dialect: 'sqlite', dataDir }, secrets);
    const users = await setup.seedTwofoldUsers(
      core,
      'u',
      requests + warmup,
      await setup.setupPasswordHash(),
      true,
    );
    const challenges = await setup.loginForChallenges(core, users);
    await setup.closeSetupCore(core);

    const port = await freePort();
    const out = join(dataDir, 'callgrind.out');
    const main = join(checkout, 'apps/server/dist/main.js');
    const child = spawn(
      'valgrind',
      ['--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${out}`, process.execPath, main],
      {
        env: {
          ...controlEnv,
          PATH: process.env.PATH,
          PORT: String(port),
          DATA_DIR: dataDir,
          NODE_ENV: 'production',
          ...secrets,
        },
        stdio: ['ignore', 'ignore', 'ignore'],
      },
    );
    const url = `http://${HOST}:${port}`;
    try {
      await waitForHealth(url, child);
      const w1 = async (c: { token: string; totpSecret: string }) => {
        const code = totp.totpCodeAt(totp.decodeBase32(c.totpSecret), totp.timeStepAt(Date.now()));
        const response = await fetch(`${url}/api/user/mfa/auth`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token: c.token, code }),
        });
        if (response.status !== 200) throw new Error(`W1 answered ${response.status}`);
        await response.arrayBuffer();
      };
      for (const c of challenges.slice(0, warmup)) await w1(c);
      execFileSync('callgrind_control', ['--instr=on', String(child.pid)], {
        env: controlEnv,
        stdio: 'ignore',
      });
      for (const c of challenges.slice(warmup)) await w1(c);
      execFileSync('callgrind_control', ['--instr=off', String(child.pid)], {
        env: controlEnv,
        stdio: 'ignore',
      });
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    let total = 0;
    for (const file of readdirSync(dataDir).filter((f) => f.startsWith('callgrind.out'))) {
      const totals = readFileSync(join(dataDir, file), 'utf8').match(/^totals: (\d+)/m);
      if (totals) total += Number(totals[1]);
    }
    if (total === 0) throw new Error('callgrind counted nothing (is valgrind installed?)');
    return total / requests;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      against: { type: 'string' },
      requests: { type: 'string', default: '200' },
      rounds: { type: 'string', default: '3' },
    },
  });
  const requests = Number(values.requests);
  const rounds = Number(values.rounds);
  const checkouts = [THIS_CHECKOUT, ...(values.against ? [resolve(values.against)] : [])];
  const counts = new Map<string, number[]>(checkouts.map((c) => [c, []]));
  console.log(
    `W1 instructions per request (callgrind; ${requests} counted after as many warm-up), ${rounds} rounds alternated`,
  );
  for (let round = 1; round <= rounds; round++) {
    for (const checkout of checkouts) {
      const count = await instructionsPerW1(checkout, requests, requests);
      counts.get(checkout)?.push(count);
      console.log(`  round ${round}  ${(count / 1e6).toFixed(3)} M  ${checkout}`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  // Noise only adds (a major GC, a late optimization falling in the counted requests): the
  // smallest count of a checkout is its steadiest figure, and with two rounds the "median" is the larger.
  const least = (xs: number[]) => Math.min(...xs);
  for (const [checkout, xs] of counts) {
    console.log(
      `median ${(median(xs) / 1e6).toFixed(3)} M, least ${(least(xs) / 1e6).toFixed(3)} M  ${checkout}`,
    );
  }
  if (values.against) {
    const ours = counts.get(THIS_CHECKOUT) ?? [];
    const theirs = counts.get(resolve(values.against)) ?? [];
    const percent = (ratio: number) => `${(100 * ratio).toFixed(1)} %`;
    console.log(
      `this checkout / against: ${percent(median(ours) / median(theirs))} (medians), ${percent(least(ours) / least(theirs))} (least counts)`,
    );
  }
}

await main();
