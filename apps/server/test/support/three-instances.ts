import { request as httpRequest } from 'node:http';
import { ManualClock } from '@twofold/core/testing';
import type { RunningServer } from '../../src/start-server.js';
import { TOTP_PERIOD_SECONDS, totpAt } from './contract/totp.js';
import { createPostgresEnv, type PostgresEnv } from './postgres-env.js';
import { call, createDataDir, type JsonResponse, resetCodeIn, startTestServer } from './server.js';
import { type ReceivedMail, type SmtpReceiver, startSmtpReceiver } from './smtp-receiver.js';

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
  /** Every worker drains in turn until the outbox has nothing due (settles earlier mail). */
  drainInTurn(): Promise<number>;
  /** All workers drain at the same time: how many emails each one attempted. */
  drainAtOnce(): Promise<number[]>;
  close(): Promise<void>;
}

interface RoundRobinClient {
  /** The call, sent to the next instance; `instance` says which one answered. */
  (
    method: string,
    path: string,
    options?: { body?: unknown; token?: string },
  ): Promise<JsonResponse & { instance: number }>;
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
    for (const dir of dirs) servers.push(await startTestServer(dir.path, clock, env));
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
  const client = Object.assign(
    async (method: string, path: string, options: { body?: unknown; token?: string } = {}) => {
      const instance = turn % urls.length;
      turn += 1;
      visited.push(instance);
      return { ...(await call(urls[instance] as string, method, path, options)), instance };
    },
    { visited },
  ) as RoundRobinClient;

  return {
    clock,
    servers,
    urls,
    receiver,
    client,
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

/**
 * One JSON request from the client address `localAddress` (Linux routes all of 127.0.0.0/8 to
 * loopback, so each 127.0.0.x is another client without TRUST_PROXY), on a connection of its own.
 */
function callFrom(
  baseUrl: string,
  localAddress: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string } = {},
): Promise<JsonResponse> {
  const { hostname, port } = new URL(baseUrl);
  const headers: Record<string, string> = {};
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (payload !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: hostname, port: Number(port), method, path, headers, localAddress, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (typeof value === 'string') responseHeaders.set(name, value);
            else if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: responseHeaders,
            body: text ? (JSON.parse(text) as unknown) : undefined,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
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
): Promise<JsonResponse[]> {
  return Promise.all(
    Array.from({ length: count }, (_, index) => {
      const { method, path, ...options } = send(index);
      return callFrom(
        urls[index % urls.length] as string,
        parallelClientAddress(index),
        method,
        path,
        options,
      );
    }),
  );
}

let sequence = 0;

export interface ClusterMfaAccount {
  id: string;
  username: string;
  email: string;
  recoveryEmail: string;
  password: string;
  secret: string;
  recoveryCodes: string[];
}

/** A fresh, unique username (`^[a-z0-9._@-]{3,32}$`). */
export function uniqueName(tag: string): string {
  sequence += 1;
  return `${tag}${process.pid.toString(36)}x${sequence}`.toLowerCase().slice(0, 32);
}

/**
 * Register, set a recovery email, generate and enable MFA, each step through the round-robin
 * client (so on a different instance than the one before). The clock ends one step past the
 * step that enable used, as support/server.ts's createMfaAccount leaves it.
 */
export async function createClusterMfaAccount(cluster: Cluster, tag = 'mfa'): Promise<ClusterMfaAccount> {
  const { client, clock } = cluster;
  const username = uniqueName(tag);
  const account = {
    username,
    email: `${username}@example.test`,
    recoveryEmail: `rec.${username}@example.test`,
    password: `correct horse ${username}`,
  };
  const registered = await client('POST', '/api/register', {
    body: { name: 'Cluster Test', email: account.email, username, password: account.password },
  });
  if (registered.status !== 200) throw new Error(`register: ${registered.status}`);
  const { token, id } = registered.body as { token: string; id: string };
  const updated = await client('PATCH', '/api/users', {
    token,
    body: { recovery_email: account.recoveryEmail },
  });
  if (updated.status !== 200) throw new Error(`set recovery email: ${updated.status}`);
  const generated = await client('GET', '/api/user/mfa/generate', { token });
  if (generated.status !== 200) throw new Error(`generate: ${generated.status}`);
  const { secret, recovery_codes } = generated.body as { secret: string; recovery_codes: string[] };
  const enabled = await client('PUT', '/api/user/mfa/enable', {
    token,
    body: { code: await totpAt(secret, clock.now()), secret, recovery_codes },
  });
  if (enabled.status !== 200) throw new Error(`enable: ${enabled.status}`);
  clock.advanceSeconds(TOTP_PERIOD_SECONDS);
  return { id, ...account, secret, recoveryCodes: recovery_codes };
}

/** The code of the next time step, after moving the shared clock there. */
export function nextCode(clock: ManualClock, secret: string): Promise<string> {
  clock.advanceSeconds(TOTP_PERIOD_SECONDS);
  return totpAt(secret, clock.now());
}

/** Reset-code emails (docs/contract.md § Reset by email) received for `account`. */
export function resetMailsOf(
  mails: readonly ReceivedMail[],
  account: Pick<ClusterMfaAccount, 'email' | 'recoveryEmail'>,
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
  account: Pick<ClusterMfaAccount, 'email' | 'recoveryEmail'>,
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
