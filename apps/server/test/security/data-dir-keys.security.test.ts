// Invariant: rotating ENCRYPTION_KEY leaves live tokens and throttle subjects intact (tokens are hashed with a key of their own), and DATA_DIR and its keys are readable by their owner only.
import { hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, parseEnvConfig } from '../../src/config.js';
import { request } from '../support/http.js';
import { createMfaUser, mfaTokenOf } from '../support/mfa.js';
import { resetCodeIn, startTestServer } from '../support/server.js';
import { codeNow } from '../support/totp.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'twofold-keys-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const modeOf = (path: string) => statSync(path).mode & 0o7777;
const hex = () => randomBytes(32).toString('hex');

describe('rotating ENCRYPTION_KEY', () => {
  it('keeps a live MFA token, a live reset request and the throttle subject of an unknown name', async () => {
    const oldKey = hex();
    const clock = new ManualClock(Date.UTC(2026, 11, 1, 12, 0, 0));
    const before = await startTestServer({ dataDir, clock, env: { ENCRYPTION_KEY: oldKey } });
    const account = await createMfaUser(before.url, clock);
    clock.advanceSeconds(30);
    const mfaToken = await mfaTokenOf(before.url, account);
    const reset = await request(before.url, 'POST', '/api/user/mfa/reset', {
      body: { identifier: account.username },
    });
    const mail = (await request(before.url, 'GET', '/api/dev/mail')).json as {
      messages: { kind: string; to: string; text: string }[];
    };
    const codeTo = (to: string) =>
      resetCodeIn(mail.messages.find((m) => m.kind === 'reset-code' && m.to === to)?.text ?? '');
    const ghost = () =>
      request(before.url, 'POST', '/api/login', { body: { username: 'ghost', password: 'wrong password' } });
    for (let i = 0; i < 4; i += 1) expect((await ghost()).status).toBe(401);
    await before.close();

    const after = await startTestServer({ dataDir, clock, env: { ENCRYPTION_KEY: `${hex()},${oldKey}` } });
    try {
      const auth = await request(after.url, 'POST', '/api/user/mfa/auth', {
        body: { token: mfaToken, code: await codeNow(account.secret, clock) },
      });
      expect(auth.status).toBe(200);
      const ghostAfter = () =>
        request(after.url, 'POST', '/api/login', { body: { username: 'ghost', password: 'wrong password' } });
      // The fifth failure of the same subject is still answered 401, the next one is locked.
      expect((await ghostAfter()).status).toBe(401);
      expect((await ghostAfter()).status).toBe(429);
      const resetDone = await request(
        after.url,
        'PUT',
        `/api/user/mfa/reset/${(reset.json as { token: string }).token}`,
        {
          body: {
            main_email_code: codeTo(account.email),
            recovery_email_code: codeTo(account.recoveryEmail),
          },
        },
      );
      expect(resetDone.status).toBe(200);
    } finally {
      await after.close();
    }
  });

  it("writes DATA_DIR/token-hash-key (0600) once, as the first encryption key's former derivation", async () => {
    const key = hex();
    const server = await startTestServer({ dataDir, env: { ENCRYPTION_KEY: key } });
    await server.close();
    const file = join(dataDir, 'token-hash-key');
    const derived = Buffer.from(
      hkdfSync('sha256', Buffer.from(key, 'hex'), new Uint8Array(0), 'twofold token hash', 32),
    ).toString('hex');
    expect(readFileSync(file, 'utf8').trim()).toBe(derived);
    expect(modeOf(file)).toBe(0o600);
  });

  it('takes TOKEN_HASH_KEY from the environment, validated like the other keys', async () => {
    const key = hex();
    expect(parseEnvConfig({ TOKEN_HASH_KEY: key }).TOKEN_HASH_KEY).toBe(key);
    expect(
      parseEnvConfig({ TOKEN_HASH_KEY: randomBytes(32).toString('base64') }).TOKEN_HASH_KEY,
    ).toBeDefined();
    for (const bad of ['too short', hex().slice(2), randomBytes(16).toString('base64')]) {
      expect(() => parseEnvConfig({ TOKEN_HASH_KEY: bad }), bad).toThrow(/TOKEN_HASH_KEY/);
    }
    const server = await startTestServer({ dataDir, env: { TOKEN_HASH_KEY: key } });
    await server.close();
    expect(existsSync(join(dataDir, 'token-hash-key'))).toBe(false);
  });
});

describe('DATA_DIR permissions', () => {
  it('tightens a DATA_DIR open to others to 0700 and its key files to 0600, and says so', async () => {
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'jwt-secret'), `${hex()}\n`, { mode: 0o644 });
    chmodSync(join(dataDir, 'jwt-secret'), 0o644);
    const server = await startTestServer({ dataDir });
    await server.close();
    expect(modeOf(dataDir)).toBe(0o700);
    for (const name of ['jwt-secret', 'encryption-key', 'token-hash-key'])
      expect(modeOf(join(dataDir, name))).toBe(0o600);
    expect(
      server.logs.some((line) => line.includes('data_dir_permissions_tightened') && line.includes('0755')),
    ).toBe(true);
  });

  it('refuses to start in a shared directory (sticky bit, as /tmp) instead of changing it', async () => {
    chmodSync(dataDir, 0o1777);
    await expect(startTestServer({ dataDir })).rejects.toThrow(ConfigError);
    expect(modeOf(dataDir)).toBe(0o1777);
  });
});
