import { join } from 'node:path';
import { MAIL_RETENTION_MS, openSqliteStore, schema } from '@twofold/core';
import { ManualClock } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DATABASE_FILE, type RunningServer } from '../src/start-server.js';
import { request } from './support/http.js';
import { createMfaUser, type MfaAccount } from './support/mfa.js';
import { createDataDir, resetCodeIn, startTestServer, type TestServer } from './support/server.js';
import { type ReceivedMail, type SmtpReceiver, startSmtpReceiver } from './support/smtp-receiver.js';

let dataDir: ReturnType<typeof createDataDir>;
let clock: ManualClock;
let receiver: SmtpReceiver | undefined;
const servers: RunningServer[] = [];

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

async function start(env: Record<string, string | undefined> = {}): Promise<TestServer> {
  const server = await startTestServer({ dataDir: dataDir.path, clock, env, mailPollIntervalMs: 3_600_000 });
  servers.push(server);
  return server;
}

async function stop(server: RunningServer): Promise<void> {
  servers.splice(servers.indexOf(server), 1);
  await server.close();
}

const smtpEnv = (port: number) => ({
  SMTP_URL: `smtp://127.0.0.1:${port}`,
  MAIL_FROM: 'Twofold <mfa@twofold.test>',
});

/** The receiver's port, after closing it: SMTP "down", and free to come back on. */
async function reserveDownPort(): Promise<number> {
  const probe = await startSmtpReceiver();
  await probe.close();
  return probe.port;
}

async function drain(server: RunningServer): Promise<number> {
  if (!server.mailWorker) throw new Error('no mail worker: SMTP_URL unset');
  return server.mailWorker.drain();
}

const resetMailsTo = (mails: ReceivedMail[], account: MfaAccount) =>
  mails.filter(
    (m) =>
      m.subject.endsWith('your MFA reset code') &&
      m.envelopeTo.some((to) => to === account.email || to === account.recoveryEmail),
  );

/** Rows of the outbox, read from the file the server wrote. */
async function outboxRows() {
  const store = openSqliteStore(join(dataDir.path, DATABASE_FILE));
  try {
    return store.db.select().from(schema.outbox).all();
  } finally {
    await store.close();
  }
}

/**
 * Accounts in use, as if each had logged in again: one with an unverified address that never did
 * would be released a week on, its mail with it (docs/contract.md § Verified addresses).
 */
async function markAccountsInUse() {
  const store = openSqliteStore(join(dataDir.path, DATABASE_FILE));
  try {
    store.db.$client.prepare('UPDATE users SET first_login_at_ms = created_at_ms').run();
  } finally {
    await store.close();
  }
}

describe('mail delivery over SMTP', () => {
  it('a reset request delivers exactly two emails, main and recovery, whose codes complete the reset', async () => {
    receiver = await startSmtpReceiver();
    const server = await start(smtpEnv(receiver.port));
    const account = await createMfaUser(server.url, clock);
    await drain(server); // the notifications of the setup (recovery email set, MFA enabled)
    const before = receiver.received.length;

    const requested = await request(server.url, 'POST', '/api/user/mfa/reset', {
      body: { identifier: account.username },
    });
    expect(requested.status).toBe(200);
    expect(await drain(server)).toBe(2);
    const mails = receiver.received.slice(before);
    expect(mails.map((m) => m.envelopeTo)).toEqual(
      expect.arrayContaining([[account.email], [account.recoveryEmail]]),
    );
    expect(mails).toHaveLength(2);

    const mainMail = mails.find((m) => m.envelopeTo[0] === account.email);
    const recoveryMail = mails.find((m) => m.envelopeTo[0] === account.recoveryEmail);
    const mainCode = resetCodeIn(mainMail?.text ?? '');
    const recoveryCode = resetCodeIn(recoveryMail?.text ?? '');
    expect(mainCode).not.toBe(recoveryCode);
    for (const mail of [mainMail, recoveryMail]) {
      expect(mail?.from).toBe('"Twofold" <mfa@twofold.test>');
      expect(mail?.text).toContain(`/mfa/reset/${account.id}`);
      expect(mail?.html).toContain(`/mfa/reset/${account.id}"`);
    }

    const reset = await request(server.url, 'PUT', `/api/user/mfa/reset/${account.id}`, {
      body: { main_email_code: mainCode, recovery_email_code: recoveryCode },
    });
    expect(reset.status).toBe(200);
    expect(reset.json).toMatchObject({ id: account.id, mfa: false });

    // The reset itself is announced to the main address, with no code in it.
    await drain(server);
    const notice = receiver.received.at(-1);
    expect(notice?.subject).toBe('Twofold: MFA was reset by email');
    expect(notice?.envelopeTo).toEqual([account.email]);
    expect(notice?.text).not.toContain(mainCode);
  });

  it('sends nothing for a second reset request within the minute, and sends again after it', async () => {
    receiver = await startSmtpReceiver();
    const server = await start(smtpEnv(receiver.port));
    const account = await createMfaUser(server.url, clock);
    const requestReset = () =>
      request(server.url, 'POST', '/api/user/mfa/reset', { body: { identifier: account.email } });

    expect((await requestReset()).status).toBe(200);
    clock.advanceSeconds(59);
    expect((await requestReset()).status).toBe(200);
    await drain(server);
    expect(resetMailsTo(receiver.received, account)).toHaveLength(2);

    clock.advanceSeconds(1);
    expect((await requestReset()).status).toBe(200);
    await drain(server);
    expect(resetMailsTo(receiver.received, account)).toHaveLength(4);
  });

  it('with the SMTP server down the request answers 200; the emails arrive once it is back on the same port', async () => {
    const port = await reserveDownPort();
    const server = await start(smtpEnv(port));
    const account = await createMfaUser(server.url, clock);

    const requested = await request(server.url, 'POST', '/api/user/mfa/reset', {
      body: { identifier: account.username },
    });
    expect(requested.status).toBe(200);
    expect(requested.json).toEqual({ token: expect.any(String) });
    await drain(server); // every attempt fails: connection refused
    expect((await outboxRows()).filter((row) => row.status === 'pending').length).toBeGreaterThanOrEqual(2);

    receiver = await startSmtpReceiver(port);
    clock.advanceSeconds(10); // the first retry is due within 10 s
    await drain(server);
    const resetMails = resetMailsTo(receiver.received, account);
    expect(resetMails.map((m) => m.envelopeTo[0]).sort()).toEqual(
      [account.email, account.recoveryEmail].sort(),
    );
    expect((await outboxRows()).every((row) => row.status === 'sent')).toBe(true);
  });

  it('a server restarted with undelivered mail delivers it after the restart', async () => {
    const port = await reserveDownPort();
    const first = await start(smtpEnv(port));
    const account = await createMfaUser(first.url, clock);
    await request(first.url, 'POST', '/api/user/mfa/reset', { body: { identifier: account.username } });
    await drain(first);
    await stop(first);

    receiver = await startSmtpReceiver(port);
    clock.advanceSeconds(10);
    const second = await start(smtpEnv(port));
    await drain(second);
    expect(resetMailsTo(receiver.received, account)).toHaveLength(2);
  });

  it('mail queued while no SMTP server was configured (and no dev mailbox kept it) is delivered once SMTP_URL is set', async () => {
    // Production: the dev mailbox is off, so the mail waits; what the mailbox keeps is never sent.
    const first = await start({ NODE_ENV: 'production' });
    expect(first.mailWorker).toBeUndefined();
    const account = await createMfaUser(first.url, clock);
    await request(first.url, 'POST', '/api/user/mfa/reset', { body: { identifier: account.username } });
    await stop(first);

    receiver = await startSmtpReceiver();
    const second = await start(smtpEnv(receiver.port));
    await drain(second);
    expect(resetMailsTo(receiver.received, account)).toHaveLength(2);
  });

  it('two servers on one database deliver each email exactly once', async () => {
    receiver = await startSmtpReceiver();
    const [a, b] = [await start(smtpEnv(receiver.port)), await start(smtpEnv(receiver.port))];
    const accounts = [await createMfaUser(a.url, clock), await createMfaUser(b.url, clock)];
    await Promise.all(
      accounts.map((account, i) =>
        request((i === 0 ? a : b).url, 'POST', '/api/user/mfa/reset', {
          body: { identifier: account.username },
        }),
      ),
    );
    const queued = (await outboxRows()).length;
    const [byA, byB] = await Promise.all([drain(a), drain(b)]);
    expect(byA + byB).toBe(queued);
    // Both really worked the queue at the same time.
    expect(byA).toBeGreaterThan(0);
    expect(byB).toBeGreaterThan(0);
    await receiver.waitFor(queued);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toHaveLength(queued);
    const recipientsAndSubjects = receiver.received.map(
      (m) => `${m.envelopeTo.join()}|${m.subject}|${m.text}`,
    );
    expect(new Set(recipientsAndSubjects).size).toBe(queued);
    for (const account of accounts) expect(resetMailsTo(receiver.received, account)).toHaveLength(2);
  });

  it('delivers the account-locked notice after 5 failed logins', async () => {
    receiver = await startSmtpReceiver();
    const server = await start(smtpEnv(receiver.port));
    const account = await createMfaUser(server.url, clock);
    await drain(server);
    const before = receiver.received.length;
    for (let i = 0; i < 5; i += 1) {
      const failed = await request(server.url, 'POST', '/api/login', {
        body: { username: account.username, password: 'wrong password!' },
      });
      expect(failed.status).toBe(401);
    }
    await drain(server);
    const mails = receiver.received.slice(before);
    expect(mails.map((m) => [m.envelopeTo, m.subject])).toEqual([
      [[account.email], 'Twofold: account locked'],
    ]);
  });

  it('on shutdown, finishes the email in flight before closing the database', async () => {
    receiver = await startSmtpReceiver();
    const server = await start(smtpEnv(receiver.port));
    const account = await createMfaUser(server.url, clock);
    await drain(server);
    await request(server.url, 'POST', '/api/user/mfa/reset', { body: { identifier: account.username } });

    const gate = receiver.holdData();
    const draining = drain(server);
    await gate.arrived;
    const closing = stop(server);
    await new Promise((resolve) => setTimeout(resolve, 100));
    gate.release();
    await closing;
    await draining;
    const rows = (await outboxRows()).filter((row) => row.kind === 'reset-code');
    // The email in flight was sent and recorded; the other waits in the outbox for the next start.
    expect(rows.map((row) => row.status).sort()).toEqual(['pending', 'sent']);
    expect(resetMailsTo(receiver.received, account)).toHaveLength(1);
  });
});

describe('the development mailbox', () => {
  it('without SMTP_URL, keeps mail in the outbox and shows it at GET /api/dev/mail, newest first', async () => {
    const server = await start();
    const account = await createMfaUser(server.url, clock);
    clock.advanceSeconds(1);
    await request(server.url, 'POST', '/api/user/mfa/reset', { body: { identifier: account.username } });

    const mailbox = await request(server.url, 'GET', '/api/dev/mail');
    expect(mailbox.status).toBe(200);
    const { messages } = mailbox.json as {
      messages: { kind: string; to: string; text: string; status: string; createdAtMs: number }[];
    };
    expect(messages.slice(0, 2).map((m) => m.kind)).toEqual(['reset-code', 'reset-code']);
    expect(
      messages
        .slice(0, 2)
        .map((m) => m.to)
        .sort(),
    ).toEqual([account.email, account.recoveryEmail].sort());
    // Settled in the mailbox: a later start with SMTP_URL never sends it.
    expect(messages.every((m) => m.status === 'kept')).toBe(true);
    const createdAtMs = messages.map((m) => m.createdAtMs);
    expect(createdAtMs).toEqual([...createdAtMs].sort((x, y) => y - x));

    // The codes shown are the real ones: they complete the reset.
    const codeFor = (to: string) => resetCodeIn(messages.find((m) => m.to === to)?.text ?? '');
    const reset = await request(server.url, 'PUT', `/api/user/mfa/reset/${account.id}`, {
      body: { main_email_code: codeFor(account.email), recovery_email_code: codeFor(account.recoveryEmail) },
    });
    expect(reset.status).toBe(200);
  });

  it('does not exist in production', async () => {
    const server = await start({ NODE_ENV: 'production' });
    await createMfaUser(server.url, clock);
    for (const path of ['/api/dev/mail', '/trpc/dev.mail']) {
      const response = await request(server.url, 'GET', path, { unchecked: true });
      expect(response.status).toBe(404);
      expect(response.text).not.toContain('@example.test');
    }
  });
});

describe('outbox retention', () => {
  it('at start, even without SMTP_URL, deletes sent mail past its retention and keeps pending mail', async () => {
    receiver = await startSmtpReceiver();
    const first = await start(smtpEnv(receiver.port));
    const account = await createMfaUser(first.url, clock);
    await markAccountsInUse();
    expect(await drain(first)).toBeGreaterThan(0);
    await request(first.url, 'POST', '/api/user/mfa/reset', { body: { identifier: account.username } });
    await stop(first); // the two reset mails were never sent
    expect((await outboxRows()).filter((row) => row.status === 'sent').length).toBeGreaterThan(0);

    clock.set(clock.now() + MAIL_RETENTION_MS + 1);
    const second = await start();
    await vi.waitFor(async () =>
      expect((await outboxRows()).map((row) => [row.kind, row.status])).toEqual([
        ['reset-code', 'pending'],
        ['reset-code', 'pending'],
      ]),
    );
    expect(await second.outboxPurger.runOnce()).toBe(0);
  });
});

describe('mail settings at start', () => {
  async function startLogged(env: Record<string, string>) {
    const server = await start(env);
    return { server, log: server.logs.join('\n') };
  }

  it('says so when production runs without SMTP_URL', async () => {
    const { server, log } = await startLogged({ NODE_ENV: 'production' });
    expect(server.mailWorker).toBeUndefined();
    expect(log).toContain('"event":"mail_not_configured"');
  });

  it('never logs the SMTP URL, which may carry a password', async () => {
    const port = await reserveDownPort();
    const { server, log } = await startLogged({ SMTP_URL: `smtp://mailer:hunter2@127.0.0.1:${port}` });
    expect(server.mailWorker).toBeDefined();
    expect(log).toContain('"mail":"smtp"');
    expect(log).not.toContain('hunter2');
    expect(log).not.toContain('mail_not_configured');
  });
});
