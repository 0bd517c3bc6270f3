import type { Logger } from '@twofold/api';
import { type Core, createCore, MAIL_DELIVERY_WINDOW_MS, openSqliteStore, schema } from '@twofold/core';
import { createTestCore, enqueueTestMail, type TestCore } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SmtpReceiver, startSmtpReceiver } from '../test/support/smtp-receiver.js';
import { createMailWorker, type MailWorker } from './mail-worker.js';
import { createSmtpTransport } from './smtp-transport.js';

const FROM = 'Twofold <no-reply@twofold.test>';
const CODE = 'H7XQ4';

let t: TestCore;
let receiver: SmtpReceiver;
let logged: { event: string; fields: Record<string, unknown> }[];
const workers: MailWorker[] = [];
const extraCores: Core[] = [];

const logger: Logger = {
  info: (event, fields = {}) => logged.push({ event, fields }),
  error: (event, fields = {}) => logged.push({ event, fields }),
};

beforeEach(async () => {
  t = createTestCore();
  receiver = await startSmtpReceiver();
  logged = [];
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  for (const core of extraCores.splice(0)) await core.store.close();
  await receiver.close();
  await t.close();
});

function workerFor(core: Core, smtpUrl = receiver.url, stopGraceMs?: number): MailWorker {
  const worker = createMailWorker({
    core,
    transport: createSmtpTransport(smtpUrl, FROM),
    logger,
    ...(stopGraceMs === undefined ? {} : { stopGraceMs }),
  });
  workers.push(worker);
  return worker;
}

function enqueueResetCode(to = 'alice@example.test'): Promise<void> {
  return enqueueTestMail(t.core, {
    kind: 'reset-code',
    to,
    username: 'alice',
    address: 'main',
    code: CODE,
    userId: 'user-1',
    expiresAtMs: t.clock.now() + 86_400_000,
  });
}

const rows = () => t.store.db.select().from(schema.outbox).all();

/** A port with nothing listening: the receiver's, after it closed. */
async function downReceiverPort(): Promise<number> {
  const port = receiver.port;
  await receiver.close();
  return port;
}

describe('mail worker', () => {
  it('sends a due email over SMTP, marks it sent and wipes its body', async () => {
    await enqueueResetCode();
    expect(await workerFor(t.core).drain()).toBe(1);
    const [mail] = await receiver.waitFor(1);
    expect(mail?.envelopeTo).toEqual(['alice@example.test']);
    expect(mail?.from).toBe('"Twofold" <no-reply@twofold.test>');
    expect(mail?.subject).toBe('Twofold: your MFA reset code');
    expect(mail?.text.split('\n').map((line) => line.trim())).toContain(CODE);
    expect(mail?.html).toContain(`>${CODE}</p>`);
    expect(rows()).toEqual([
      expect.objectContaining({
        status: 'sent',
        attempts: 1,
        payloadCiphertext: null,
        sentAtMs: t.clock.now(),
      }),
    ]);
    expect(logged.map((l) => l.event)).toEqual(['mail_sent']);
  });

  it('retries within 10 s when the SMTP server is down and delivers once it is back', async () => {
    const port = await downReceiverPort();
    await enqueueResetCode();
    const worker = workerFor(t.core, `smtp://127.0.0.1:${port}`);
    expect(await worker.runOnce()).toBe('retry');
    const [row] = rows();
    expect(row?.status).toBe('pending');
    expect(row?.nextAttemptAtMs).toBeLessThanOrEqual(t.clock.now() + 10_000);
    expect(row?.lastError).toContain('ECONNREFUSED');

    receiver = await startSmtpReceiver(port);
    expect(await worker.runOnce()).toBe('idle'); // not due yet
    t.clock.advanceSeconds(10);
    expect(await worker.runOnce()).toBe('sent');
    expect((await receiver.waitFor(1)).map((m) => m.envelopeTo)).toEqual([['alice@example.test']]);
    expect(rows()[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('gives up after 24 h of failures and records why', async () => {
    const port = await downReceiverPort();
    await enqueueResetCode();
    const created = t.clock.now();
    const worker = workerFor(t.core, `smtp://127.0.0.1:${port}`);
    while (rows()[0]?.status === 'pending') {
      await worker.drain();
      const next = rows()[0]?.nextAttemptAtMs ?? 0;
      t.clock.set(Math.max(next, t.clock.now()));
    }
    expect(t.clock.now()).toBeLessThan(created + MAIL_DELIVERY_WINDOW_MS);
    expect(rows()[0]).toMatchObject({ status: 'failed', payloadCiphertext: null });
    expect(rows()[0]?.lastError).toContain('ECONNREFUSED');
    expect(logged.at(-1)).toMatchObject({ event: 'mail_failed', fields: { errorCode: 'ESOCKET' } });
    receiver = await startSmtpReceiver(port);
  });

  it('fails a recipient refused with 550 after one attempt and never retries it', async () => {
    receiver.rejectRecipient('gone@example.test', 550);
    await enqueueResetCode('gone@example.test');
    const worker = workerFor(t.core);
    expect(await worker.runOnce()).toBe('rejected');
    expect(rows()).toEqual([
      expect.objectContaining({
        status: 'failed',
        attempts: 1,
        failedAtMs: t.clock.now(),
        payloadCiphertext: null,
        keyId: null,
        leaseOwner: null,
      }),
    ]);
    expect(rows()[0]?.lastError).toContain('550');
    expect(rows()[0]?.lastError).not.toContain(CODE);

    // Nothing is due again for the rest of the delivery window: the server saw one attempt.
    t.clock.advanceSeconds(MAIL_DELIVERY_WINDOW_MS / 1000 - 1);
    expect(await worker.drain()).toBe(0);
    expect(receiver.offeredRecipients).toEqual(['gone@example.test']);
    expect(receiver.received).toEqual([]);
    expect(rows()[0]).toMatchObject({ status: 'failed', attempts: 1 });
    // Logged once, as an error the operator sees, without the address.
    expect(logged).toEqual([
      {
        event: 'mail_failed',
        fields: expect.objectContaining({ attempt: 1, errorCode: 'EENVELOPE 550', permanent: true }),
      },
    ]);
    expect(JSON.stringify(logged)).not.toContain('gone@');
  });

  it('retries a recipient refused with 451 and delivers once the server accepts it', async () => {
    const refusal = receiver.rejectRecipient('busy@example.test', 451);
    await enqueueResetCode('busy@example.test');
    const worker = workerFor(t.core);
    expect(await worker.runOnce()).toBe('retry');
    expect(rows()[0]).toMatchObject({ status: 'pending', attempts: 1 });
    expect(rows()[0]?.lastError).toContain('451');
    expect(rows()[0]?.payloadCiphertext).not.toBeNull();

    t.clock.advanceSeconds(10);
    expect(await worker.runOnce()).toBe('retry');
    refusal.lift();
    t.clock.advanceSeconds(20);
    expect(await worker.runOnce()).toBe('sent');
    expect(receiver.offeredRecipients).toEqual(Array(3).fill('busy@example.test'));
    expect((await receiver.waitFor(1)).map((m) => m.envelopeTo)).toEqual([['busy@example.test']]);
    expect(rows()[0]).toMatchObject({ status: 'sent', attempts: 3, payloadCiphertext: null });
    expect(logged.map((l) => l.event)).toEqual(['mail_retry_scheduled', 'mail_retry_scheduled', 'mail_sent']);
  });

  it('logs delivery events without addresses, codes or bodies', async () => {
    await enqueueResetCode('secret.person@example.test');
    await workerFor(t.core).drain();
    const port = await downReceiverPort();
    await enqueueResetCode('secret.person@example.test');
    await workerFor(t.core, `smtp://127.0.0.1:${port}`).drain();
    receiver = await startSmtpReceiver(port);
    expect(logged.map((l) => l.event)).toEqual(['mail_sent', 'mail_retry_scheduled']);
    const text = JSON.stringify(logged);
    for (const secret of [CODE, 'secret.person', 'example.test', 'reset code'])
      expect(text).not.toContain(secret);
  });

  it('on stop, finishes the email in flight before resolving', async () => {
    await enqueueResetCode();
    const worker = workerFor(t.core);
    const gate = receiver.holdData();
    const attempt = worker.runOnce();
    await gate.arrived;
    let isStopped = false;
    const stopping = worker.stop().then(() => {
      isStopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isStopped).toBe(false);
    gate.release();
    await stopping;
    expect(await attempt).toBe('sent');
    expect(rows()[0]?.status).toBe('sent');
    expect(await worker.runOnce()).toBe('stopped');
  });

  it('on stop, aborts a send that outlasts the grace period and keeps the email queued', async () => {
    await enqueueResetCode();
    const worker = workerFor(t.core, receiver.url, 50);
    const gate = receiver.holdData();
    const attempt = worker.runOnce();
    await gate.arrived;
    await worker.stop();
    expect(await attempt).toBe('retry');
    expect(rows()[0]).toMatchObject({ status: 'pending', leaseOwner: null });
    expect(rows()[0]?.lastError).toContain('EABORT');
    gate.release();
  });

  it('two workers on one database deliver each email exactly once', async () => {
    const EMAILS = 12;
    for (let i = 0; i < EMAILS; i += 1) await enqueueResetCode(`u${i}@example.test`);
    const store = openSqliteStore(t.databaseFile, { detectMisuse: true });
    const second = createCore({ store, clock: t.clock, config: t.config });
    extraCores.push(second);
    const [a, b] = [workerFor(t.core), workerFor(second)];
    const [sentByA, sentByB] = await Promise.all([a.drain(), b.drain()]);
    expect(sentByA + sentByB).toBe(EMAILS);
    expect(sentByA).toBeGreaterThan(0);
    expect(sentByB).toBeGreaterThan(0);
    const recipients = (await receiver.waitFor(EMAILS)).flatMap((m) => m.envelopeTo);
    expect(recipients.sort()).toEqual(Array.from({ length: EMAILS }, (_, i) => `u${i}@example.test`).sort());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.received).toHaveLength(EMAILS);
  });

  it('in production, the polling loop delivers without being asked', async () => {
    const worker = createMailWorker({
      core: t.core,
      transport: createSmtpTransport(receiver.url, FROM),
      logger,
      pollIntervalMs: 20,
    });
    workers.push(worker);
    worker.start();
    await enqueueResetCode();
    await receiver.waitFor(1);
    await worker.stop();
    expect(rows()).toEqual([expect.objectContaining({ status: 'sent' })]);
  });
});
