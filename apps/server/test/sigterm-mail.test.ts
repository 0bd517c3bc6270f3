import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteStore, schema } from '@twofold/core';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../src/start-server.js';
import { call, createDataDir } from './support/server.js';
import { type SmtpReceiver, startSmtpReceiver } from './support/smtp-receiver.js';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

let child: ChildProcess | undefined;
let receiver: SmtpReceiver | undefined;
let dataDir: ReturnType<typeof createDataDir> | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await receiver?.close();
  dataDir?.remove();
});

/** Starts `main.ts` as its own process (as `pnpm start` would) and waits for its URL. */
async function spawnServer(
  env: Record<string, string>,
): Promise<{ process: ChildProcess; url: string; log: () => string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"event":"listening","url":"([^"]+)"/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    proc.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return { process: proc, url, log: () => output };
}

describe('SIGTERM', () => {
  it('lets the email in flight finish, records it as sent, then exits cleanly', async () => {
    receiver = await startSmtpReceiver();
    dataDir = createDataDir();
    const server = await spawnServer({ DATA_DIR: dataDir.path, SMTP_URL: receiver.url });
    child = server.process;

    const gate = receiver.holdData();
    const registered = await call(server.url, 'POST', '/api/register', {
      body: {
        name: 'Sig Term',
        email: 'sigterm@example.test',
        username: 'sigterm',
        password: 'correct horse 1',
      },
    });
    expect(registered.status).toBe(200);
    for (let i = 0; i < 5; i += 1) {
      await call(server.url, 'POST', '/api/login', {
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
    expect(server.log()).toContain('"event":"mail_sent"');
    expect(server.log()).not.toContain('sigterm@');
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
