import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { openSqliteStore, schema } from '@twofold/core';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../src/start-server.js';
import { spawnServer } from './support/child-server.js';
import { request } from './support/http.js';
import { createDataDir } from './support/server.js';
import { type SmtpReceiver, startSmtpReceiver } from './support/smtp-receiver.js';

let child: ChildProcess | undefined;
let receiver: SmtpReceiver | undefined;
let dataDir: ReturnType<typeof createDataDir> | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await receiver?.close();
  dataDir?.remove();
});

describe('SIGTERM', () => {
  it('lets the email in flight finish, records it as sent, then exits cleanly', async () => {
    receiver = await startSmtpReceiver();
    dataDir = createDataDir();
    const server = await spawnServer({ DATA_DIR: dataDir.path, SMTP_URL: receiver.url });
    child = server.process;

    const gate = receiver.holdData();
    const registered = await request(server.url, 'POST', '/api/register', {
      body: {
        name: 'Sig Term',
        email: 'sigterm@example.test',
        username: 'sigterm',
        password: 'correct horse 1',
      },
    });
    expect(registered.status).toBe(200);
    for (let i = 0; i < 5; i += 1) {
      await request(server.url, 'POST', '/api/login', {
        body: { username: 'sigterm', password: 'wrong password' },
      });
    }
    // The production loop picked the first mail, the registration's verification, up by itself.
    await gate.arrived;

    child.kill('SIGTERM');
    const exited = once(child, 'exit');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(child.exitCode).toBeNull(); // still finishing the email
    gate.release();
    const [code] = await exited;
    expect(code).toBe(0);

    expect(receiver.received.map((m) => m.envelopeTo)).toEqual([['sigterm@example.test']]);
    // The log tells what happened to the mail, never to whom or what it said.
    expect(server.output.join('')).toContain('"event":"mail_sent"');
    expect(server.output.join('')).not.toContain('sigterm@');
    const store = openSqliteStore(join(dataDir.path, DATABASE_FILE));
    try {
      const rows = store.db.select().from(schema.outbox).all();
      // The mail in flight is recorded as sent; the one queued behind it waits for the next start.
      expect(rows.map((row) => [row.kind, row.status]).sort()).toEqual([
        ['account-locked', 'pending'],
        ['email-verification', 'sent'],
      ]);
    } finally {
      await store.close();
    }
  });
});
