// Invariant: the development mailbox, which shows reset codes, exists only without SMTP_URL, outside production and without TRUST_PROXY, answers only a loopback peer with no forwarding header, and the mail it keeps is never sent by a later SMTP server.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@twofold/api';
import { createTestCore, ManualClock, type TestCore } from '@twofold/core/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServerApp } from '../../src/create-app.js';
import type { RunningServer } from '../../src/start-server.js';
import { request } from '../support/http.js';
import { createMfaUser } from '../support/mfa.js';
import { captureLogger, createDataDir, resetCodeIn, startTestServer } from '../support/server.js';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.js';

/** The three ways to read the mailbox: the web page, REST and tRPC. */
const MAILBOX_PATHS = ['/dev/mail', '/api/dev/mail', '/trpc/dev.mail'];
const FORWARDING_HEADERS: Record<string, string>[] = [
  { forwarded: 'for=198.51.100.7' },
  { 'x-forwarded-for': '198.51.100.7' },
  { 'x-real-ip': '198.51.100.7' },
];

let webRoot: string;
let dataDir: ReturnType<typeof createDataDir>;
let clock: ManualClock;
let receiver: SmtpReceiver | undefined;
const servers: RunningServer[] = [];

beforeAll(() => {
  // A built web app stand-in, so `/dev/mail` would be served if the mailbox let it through.
  webRoot = mkdtempSync(join(tmpdir(), 'twofold-web-'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Twofold</title>');
});
afterAll(() => rmSync(webRoot, { recursive: true, force: true }));
beforeEach(() => {
  dataDir = createDataDir();
  clock = new ManualClock();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await receiver?.close();
  receiver = undefined;
  dataDir.remove();
});

async function start(env: Record<string, string | undefined>, logs: string[] = []): Promise<RunningServer> {
  const server = await startTestServer({
    dataDir: dataDir.path,
    clock,
    env,
    webRoot,
    logger: captureLogger(logs),
    mailPollIntervalMs: 3_600_000,
  });
  servers.push(server);
  return server;
}

async function statusesOf(baseUrl: string, headers: Record<string, string> = {}): Promise<number[]> {
  return Promise.all(
    MAILBOX_PATHS.map(
      async (path) => (await request(baseUrl, 'GET', path, { headers, unchecked: true })).status,
    ),
  );
}

/** The attack of the report: request a reset by username, read both codes, reset, own the account. */
async function takeOver(baseUrl: string, username: string): Promise<{ mailbox: number; reset: number }> {
  const requested = await request(baseUrl, 'POST', '/api/user/mfa/reset', { body: { identifier: username } });
  const { token } = requested.json as { token: string };
  const mailbox = await request(baseUrl, 'GET', '/api/dev/mail');
  const messages = mailbox.status === 200 ? (mailbox.json as { messages: { text: string }[] }).messages : [];
  const codes = messages.slice(0, 2).map((m) => resetCodeIn(m.text));
  const reset = await request(baseUrl, 'PUT', `/api/user/mfa/reset/${token}`, {
    body: { main_email_code: codes[0] ?? 'AAAAA', recovery_email_code: codes[1] ?? 'AAAAA' },
  });
  return { mailbox: mailbox.status, reset: reset.status };
}

describe('where the development mailbox exists', () => {
  it('SMTP_URL set and NODE_ENV unset: 404 on the page, REST and tRPC, and the takeover fails', async () => {
    receiver = await startSmtpReceiver();
    const server = await start({ NODE_ENV: undefined, SMTP_URL: receiver.url });
    const account = await createMfaUser(server.url, clock);
    expect(await statusesOf(server.url)).toEqual([404, 404, 404]);
    expect(await takeOver(server.url, account.username)).toEqual({ mailbox: 404, reset: 401 });
  });

  it('NODE_ENV=production or TRUST_PROXY set, without SMTP_URL: 404 everywhere', async () => {
    for (const env of [{ NODE_ENV: 'production' }, { TRUST_PROXY: '1' }, { TRUST_PROXY: 'loopback' }]) {
      const server = await start(env);
      expect(await statusesOf(server.url), JSON.stringify(env)).toEqual([404, 404, 404]);
    }
  });

  it('without SMTP_URL, outside production and without a proxy: open to a direct loopback client, and the start-up log says so', async () => {
    const logs: string[] = [];
    const server = await start({ NODE_ENV: undefined }, logs);
    expect(await statusesOf(server.url)).toEqual([200, 200, 200]);
    expect(logs.some((line) => line.includes('"dev_mailbox_on"'))).toBe(true);
  });

  it('a request with a forwarding header gets 404 on every path, whatever the header says', async () => {
    const server = await start({});
    for (const headers of FORWARDING_HEADERS) {
      expect(await statusesOf(server.url, headers), JSON.stringify(headers)).toEqual([404, 404, 404]);
    }
  });
});

describe('the peer address', () => {
  let t: TestCore;
  beforeEach(() => {
    t = createTestCore();
  });
  afterEach(() => t.close());

  /** The server's app with the mailbox on, reached from `remoteAddress` (the Node socket's field). */
  const statusFrom = async (remoteAddress: string) => {
    const app = createServerApp({ core: t.core, logger: silentLogger, devMailbox: true, webRoot });
    const bindings = { incoming: { socket: { remoteAddress } } };
    return Promise.all(MAILBOX_PATHS.map(async (path) => (await app.request(path, {}, bindings)).status));
  };

  it('answers only loopback peers: any other peer gets 404 on every path', async () => {
    for (const address of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1']) {
      expect(await statusFrom(address), address).toEqual([200, 200, 200]);
    }
    for (const address of ['192.0.2.10', '10.0.0.1', '::ffff:192.0.2.10', '2001:db8::1', 'fe80::1']) {
      expect(await statusFrom(address), address).toEqual([404, 404, 404]);
    }
  });
});

describe('mail kept by the development mailbox', () => {
  it('is settled there: a later start with SMTP_URL on the same DATA_DIR never sends it', async () => {
    const first = await start({});
    const account = await createMfaUser(first.url, clock);
    await request(first.url, 'POST', '/api/user/mfa/reset', { body: { identifier: account.username } });
    const kept = await request(first.url, 'GET', '/api/dev/mail');
    expect((kept.json as { messages: unknown[] }).messages.length).toBeGreaterThan(2);
    await first.close();
    servers.splice(servers.indexOf(first), 1);

    receiver = await startSmtpReceiver();
    clock.advanceSeconds(61);
    const second = await start({ SMTP_URL: receiver.url });
    expect(await second.mailWorker?.drain()).toBe(0);
    expect(receiver.received).toEqual([]);

    // The worker does send what is queued from now on.
    await request(second.url, 'POST', '/api/user/mfa/reset', { body: { identifier: account.username } });
    expect(await second.mailWorker?.drain()).toBe(2);
    expect(receiver.received.map((m) => m.subject.endsWith('your MFA reset code'))).toEqual([true, true]);
  });
});
