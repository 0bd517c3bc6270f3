import { Agent } from 'node:http';
import { ManualClock } from '@twofold/core/testing';
import type { RunningServer } from '../../src/start-server.js';
import { type HttpResult, type RequestOptions, registerAccount, request } from './http.js';
import { createMfaUser, type MfaAccount } from './mfa.js';
import { createPostgresEnv, type PostgresEnv } from './postgres-env.js';
import { createDataDir, resetCodeIn, startTestServer } from './server.js';
import { type ReceivedMail, type SmtpReceiver, startSmtpReceiver } from './smtp-receiver.js';
import { TOTP_PERIOD_SECONDS } from './totp.js';

/**
 * Several Twofold instances in this process on one PostgreSQL schema: each on its own DATA_DIR
 * with its own pool, all on one ManualClock and one SMTP receiver, as an operator runs them
 * behind a load balancer (docs/contract.md § Configuration: "several instances share it").
 */
export interface Cluster {
  clock: ManualClock;
  servers: RunningServer[];
  urls: string[];
  receiver: SmtpReceiver;
  /** The round-robin client: each call goes to the next instance. */
  client: RoundRobinClient;
  /** The URL of the next instance in the round robin (recorded in `client.visited`). */
  nextUrl(): string;
  /** Every worker drains in turn until the outbox has nothing due (settles earlier mail). */
  drainInTurn(): Promise<number>;
  /** All workers drain at the same time: how many emails each one attempted. */
  drainAtOnce(): Promise<number[]>;
  close(): Promise<void>;
}

interface RoundRobinClient {
  /** The call, sent to the next instance; `instance` says which one answered. */
  (method: string, path: string, options?: RequestOptions): Promise<HttpResult & { instance: number }>;
  /** Indices of the instances called so far, in order. */
  readonly visited: number[];
}

export async function startCluster(size = 3): Promise<Cluster> {
  const clock = new ManualClock();
  const pg: PostgresEnv = createPostgresEnv();
  const receiver = await startSmtpReceiver();
  const dirs = Array.from({ length: size }, () => createDataDir());
  const env = { ...pg.env, SMTP_URL: receiver.url, MAIL_FROM: 'Twofold <mfa@twofold.test>' };
  const servers: RunningServer[] = [];
  try {
    // One after the other: the first migrates the empty schema, the others find it migrated.
    for (const dir of dirs) {
      servers.push(await startTestServer({ dataDir: dir.path, clock, env, mailPollIntervalMs: 3_600_000 }));
    }
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    await receiver.close();
    await pg.drop();
    for (const dir of dirs) dir.remove();
    throw error;
  }
  const urls = servers.map((s) => s.url);
  const workers = servers.map((s) => {
    if (!s.mailWorker) throw new Error('no mail worker: SMTP_URL unset');
    return s.mailWorker;
  });

  const visited: number[] = [];
  let turn = 0;
  const nextUrl = () => {
    const instance = turn % urls.length;
    turn += 1;
    visited.push(instance);
    return urls[instance] as string;
  };
  const client = Object.assign(
    async (method: string, path: string, options: RequestOptions = {}) => {
      const url = nextUrl();
      return { ...(await request(url, method, path, options)), instance: urls.indexOf(url) };
    },
    { visited },
  ) as RoundRobinClient;

  return {
    clock,
    servers,
    urls,
    receiver,
    client,
    nextUrl,
    async drainInTurn() {
      let total = 0;
      for (;;) {
        let round = 0;
        for (const worker of workers) round += await worker.drain();
        total += round;
        if (round === 0) return total;
      }
    },
    drainAtOnce: () => Promise.all(workers.map((worker) => worker.drain())),
    async close() {
      await Promise.all(servers.map((s) => s.close()));
      await receiver.close();
      await pg.drop();
      for (const dir of dirs) dir.remove();
    },
  };
}

/** The client address of the `index`-th parallel client: 127.0.0.10, 127.0.0.11, … */
const parallelClientAddress = (index: number) => `127.0.0.${10 + index}`;

/**
 * `count` requests at once, the i-th to instance i mod n from its own client address, so the
 * per-address throttles and hash queues see many clients, as behind a load balancer.
 */
export function spreadInParallel(
  urls: readonly string[],
  count: number,
  send: (index: number) => { method: string; path: string; body?: unknown; token?: string },
): Promise<HttpResult[]> {
  return Promise.all(
    Array.from({ length: count }, (_, index) => {
      const { method, path, ...options } = send(index);
      const agent = new Agent({ localAddress: parallelClientAddress(index) });
      return request(urls[index % urls.length] as string, method, path, { ...options, agent });
    }),
  );
}

let sequence = 0;

/** A fresh, unique username (`^[a-z0-9._@-]{3,32}$`). */
export function uniqueName(tag: string): string {
  sequence += 1;
  return `${tag}${process.pid.toString(36)}x${sequence}`.toLowerCase().slice(0, 32);
}

/**
 * An MFA user made by the one factory, each step through the round robin (so on a different
 * instance than the one before). The clock ends one step past the step that enable used.
 */
export async function createClusterMfaAccount(cluster: Cluster, tag = 'mfa'): Promise<MfaAccount> {
  const account = await registerAccount(cluster.nextUrl(), tag);
  const user = await createMfaUser(cluster.nextUrl, cluster.clock, account);
  cluster.clock.advanceSeconds(TOTP_PERIOD_SECONDS);
  return user;
}

/** Reset-code emails (docs/contract.md § Reset by email) received for `account`. */
export function resetMailsOf(
  mails: readonly ReceivedMail[],
  account: Pick<MfaAccount, 'email' | 'recoveryEmail'>,
): ReceivedMail[] {
  return mails.filter(
    (m) =>
      m.subject.endsWith('your MFA reset code') &&
      m.envelopeTo.some((to) => to === account.email || to === account.recoveryEmail),
  );
}

/** Both codes of the newest reset mails of `account`, as the reset body wants them. */
export function resetCodesFrom(
  mails: readonly ReceivedMail[],
  account: Pick<MfaAccount, 'email' | 'recoveryEmail'>,
): { main_email_code: string; recovery_email_code: string } {
  const ofAccount = resetMailsOf(mails, account);
  const newestTo = (address: string) => {
    const mail = ofAccount.filter((m) => m.envelopeTo.includes(address)).at(-1);
    if (!mail) throw new Error(`no reset mail to ${address}`);
    return resetCodeIn(mail.text);
  };
  return {
    main_email_code: newestTo(account.email),
    recovery_email_code: newestTo(account.recoveryEmail),
  };
}
