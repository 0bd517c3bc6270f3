import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIND_CIPHERTEXTS_MIGRATION, deriveTokenHashKey, openSqliteStore } from '@twofold/core';
import { ManualClock, totpAt } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, type RunningServer } from '../../src/start-server.js';
import { request } from '../support/http.js';
import { startTestServer } from '../support/server.js';

/**
 * A DATA_DIR written by the server at ac8c81c (see fixtures/datadir-ac8c81c.facts.json for
 * what it holds) starts on this version with every user, factor, recovery code, live token
 * and outbox mail intact. Each test starts on its own copy, so no test sees another's writes.
 */
const FIXTURES = join(import.meta.dirname, '../fixtures');
const facts = JSON.parse(readFileSync(join(FIXTURES, 'datadir-ac8c81c.facts.json'), 'utf8')) as {
  createdAtMs: number;
  plain: {
    id: string;
    email: string;
    username: string;
    password: string;
    pendingEnrollment: { secret: string; recovery_codes: string[] };
  };
  mfa: {
    id: string;
    email: string;
    username: string;
    password: string;
    recoveryEmail: string;
    totpSecret: string;
    usedRecoveryCode: string;
    unusedRecoveryCodes: string[];
    mfaToken: string;
  };
  reset: { token: string; mainEmailCode: string; recoveryEmailCode: string };
  unknownIdentifier: { username: string; failedLoginsFrom127001: number };
  outbox: { id: string; kind: string; to: string; status: string }[];
};

let dataDir: string;
let clock: ManualClock;
let server: RunningServer;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'twofold-upgrade-'));
  cpSync(join(FIXTURES, 'datadir-ac8c81c'), dataDir, { recursive: true });
  // A minute after the fixture was written: its MFA token (5 min) and reset request (24 h) are live.
  clock = new ManualClock(facts.createdAtMs + 60_000);
  server = await startTestServer({ dataDir, clock });
});

afterEach(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function loginMfaUser(): Promise<string> {
  const login = await request(server.url, 'POST', '/api/login', {
    body: { username: facts.mfa.username, password: facts.mfa.password },
  });
  expect(login.status).toBe(401);
  const token = login.headers.get('x-mfa-token');
  expect(token).toBeTruthy();
  return token as string;
}

describe('a DATA_DIR written by ac8c81c', () => {
  it('logs in the user without MFA, who can still finish the pending enrollment', async () => {
    const login = await request(server.url, 'POST', '/api/login', {
      body: { username: facts.plain.username, password: facts.plain.password },
    });
    expect(login.status).toBe(200);
    const { token, mfa } = login.json as { token: string; mfa: boolean };
    expect(mfa).toBe(false);
    const updated = await request(server.url, 'PATCH', '/api/users', {
      token,
      body: { recovery_email: 'plain-recovery@example.test' },
    });
    expect(updated.status).toBe(200);
    const { secret, recovery_codes } = facts.plain.pendingEnrollment;
    const enabled = await request(server.url, 'PUT', '/api/user/mfa/enable', {
      token,
      body: { code: await totpAt(secret, clock.now()), secret, recovery_codes },
    });
    expect(enabled.status).toBe(200);
  });

  it('logs in the MFA user with password and TOTP', async () => {
    const mfaToken = await loginMfaUser();
    const auth = await request(server.url, 'POST', '/api/user/mfa/auth', {
      body: { token: mfaToken, code: await totpAt(facts.mfa.totpSecret, clock.now()) },
    });
    expect(auth.status).toBe(200);
    expect((auth.json as { id: string }).id).toBe(facts.mfa.id);
  });

  it('accepts the live MFA token issued before the upgrade', async () => {
    const auth = await request(server.url, 'POST', '/api/user/mfa/auth', {
      body: { token: facts.mfa.mfaToken, code: await totpAt(facts.mfa.totpSecret, clock.now()) },
    });
    expect(auth.status).toBe(200);
    expect((auth.json as { id: string }).id).toBe(facts.mfa.id);
  });

  it('accepts an unused recovery code and refuses the used one', async () => {
    const used = await request(server.url, 'POST', '/api/user/mfa/recover', {
      body: { identifier: facts.mfa.username, recovery_code: facts.mfa.usedRecoveryCode },
    });
    expect(used.status).toBe(401);
    const unused = await request(server.url, 'POST', '/api/user/mfa/recover', {
      body: { identifier: facts.mfa.username, recovery_code: facts.mfa.unusedRecoveryCodes[2] },
    });
    expect(unused.status).toBe(200);
    expect((unused.json as { id: string }).id).toBe(facts.mfa.id);
  });

  it('completes the live reset request with its two codes', async () => {
    const reset = await request(server.url, 'PUT', `/api/user/mfa/reset/${facts.reset.token}`, {
      body: {
        main_email_code: facts.reset.mainEmailCode,
        recovery_email_code: facts.reset.recoveryEmailCode,
      },
    });
    expect(reset.status).toBe(200);
    expect((reset.json as { mfa: boolean }).mfa).toBe(false);
  });

  it('keeps every pending mail, and each one opens', async () => {
    const mailbox = await request(server.url, 'GET', '/api/dev/mail');
    expect(mailbox.status).toBe(200);
    const messages = (mailbox.json as { messages: { id: string; status: string; text: string }[] }).messages;
    for (const mail of facts.outbox) {
      const found = messages.find((m) => m.id === mail.id);
      expect(found?.status).toBe('pending');
      expect(found?.text).not.toBe('');
    }
    const texts = messages.map((m) => m.text).join('\n');
    expect(texts).toContain(facts.reset.mainEmailCode);
    expect(texts).toContain(facts.reset.recoveryEmailCode);
  });

  it('keeps counting failed logins of an unknown name under the same subject', async () => {
    const { username, failedLoginsFrom127001 } = facts.unknownIdentifier;
    const attempt = () =>
      request(server.url, 'POST', '/api/login', { body: { username, password: 'wrong password' } });
    // docs/contract.md: the failure that reaches the limit (5) is still 401; the next one is 429.
    for (let i = failedLoginsFrom127001; i < 5; i += 1) expect((await attempt()).status).toBe(401);
    expect((await attempt()).status).toBe(429);
  });

  it('re-sealed its ciphertexts once, and hashes tokens with the key ac8c81c derived', async () => {
    const store = openSqliteStore(join(dataDir, DATABASE_FILE));
    try {
      const done = store.db.$client
        .prepare('SELECT completed_at_ms AS completedAtMs FROM code_migrations WHERE name = ?')
        .get(BIND_CIPHERTEXTS_MIGRATION) as { completedAtMs: number } | undefined;
      expect(done?.completedAtMs).toBe(clock.now());
    } finally {
      await store.close();
    }
    const encryptionKey = Buffer.from(readFileSync(join(dataDir, 'encryption-key'), 'utf8').trim(), 'hex');
    const tokenHashKey = readFileSync(join(dataDir, 'token-hash-key'), 'utf8').trim();
    expect(tokenHashKey).toBe(Buffer.from(deriveTokenHashKey(new Uint8Array(encryptionKey))).toString('hex'));
  });
});
