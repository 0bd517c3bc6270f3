import { randomBytes } from 'node:crypto';
import {
  type Clock,
  type Core,
  createCore,
  deriveTokenHashKey,
  openPostgresStore,
  openSqliteStore,
} from '@twofold/core';
import {
  latestEmailChangeUndo,
  latestEmailVerification,
  latestPasswordReset,
  latestResetCode,
  type ManualClock,
  readOutbox,
} from '@twofold/core/testing';
import { expect } from 'vitest';
import { type Account, registerAccount, request } from './http.js';
import type { TestServer } from './server.js';
import { codeNow, nextCode } from './totp.js';

export interface MfaAccount extends Account {
  secret: string;
  recoveryCodes: string[];
  recoveryEmail: string;
}

/** Keys the suites pass to the server, so they can open the outbox like a mail reader. */
export function knownKeys() {
  return { JWT_SECRET: randomBytes(24).toString('hex'), ENCRYPTION_KEY: randomBytes(32).toString('hex') };
}

/** The body of GET /api/user/mfa/generate. */
export interface MfaGenerate {
  link: string;
  secret: string;
  recovery_codes: string[];
}

export async function setRecoveryEmail(baseUrl: string, token: string, recoveryEmail: string): Promise<void> {
  const patch = await request(baseUrl, 'PATCH', '/api/users', {
    token,
    body: { recovery_email: recoveryEmail },
  });
  if (patch.status !== 200) throw new Error(`set recovery email: ${patch.status} ${patch.text}`);
}

export async function generateMfa(baseUrl: string, token: string): Promise<MfaGenerate> {
  const generated = await request<MfaGenerate>(baseUrl, 'GET', '/api/user/mfa/generate', { token });
  if (generated.status !== 200) throw new Error(`generate: ${generated.status} ${generated.text}`);
  return generated.json;
}

/**
 * The one MFA-user factory: registers an account (unless given), sets its recovery email,
 * generates and enables MFA with the code of the clock's current step, all over HTTP as a
 * client would. That step counts as used: the next code is `nextCode`'s.
 */
export async function createMfaUser(
  baseUrl: string | (() => string),
  clock: Clock,
  account?: Account,
): Promise<MfaAccount> {
  // A function: each step goes where it says (a round robin over several instances).
  const at = typeof baseUrl === 'string' ? () => baseUrl : baseUrl;
  const user = account ?? (await registerAccount(at()));
  const recoveryEmail = `rec-${user.username}@example.test`;
  await setRecoveryEmail(at(), user.token, recoveryEmail);
  const { secret, recovery_codes } = await generateMfa(at(), user.token);
  const enabled = await request(at(), 'PUT', '/api/user/mfa/enable', {
    token: user.token,
    body: { code: await codeNow(secret, clock), secret, recovery_codes },
  });
  if (enabled.status !== 200) throw new Error(`enable: ${enabled.status} ${enabled.text}`);
  return { ...user, secret, recoveryCodes: recovery_codes, recoveryEmail };
}

/**
 * POST /api/user/reauth with the password (and, for an MFA account, the code of the next
 * step): the same session's token, fresh for 15 minutes (docs/contract.md § Re-authentication).
 */
export async function reauthToken(
  baseUrl: string,
  account: Pick<Account, 'token' | 'password'> & { secret?: string },
  clock: ManualClock,
): Promise<string> {
  const code = account.secret === undefined ? {} : { code: await nextCode(account.secret, clock) };
  const res = await request<{ token: string }>(baseUrl, 'POST', '/api/user/reauth', {
    token: account.token,
    body: { password: account.password, ...code },
  });
  if (res.status !== 200) throw new Error(`reauth: ${res.status} ${res.text}`);
  return res.json.token;
}

/** The password step of an MFA user: 401 MFA_REQUIRED with the X-MFA-Token header. */
export async function mfaTokenOf(
  baseUrl: string,
  account: Pick<Account, 'username' | 'password'>,
  headers: Record<string, string> = {},
): Promise<string> {
  const res = await request(baseUrl, 'POST', '/api/login', {
    body: { username: account.username, password: account.password },
    headers,
  });
  expect(res.status).toBe(401);
  expect(res.json).toMatchObject({ code: 'MFA_REQUIRED' });
  const token = res.headers.get('x-mfa-token');
  expect(token).toMatch(/^[0-9a-f-]{36}$/);
  return token ?? '';
}

/** Full login with TOTP at the next time step: a fresh session JWT. */
export async function loginWithTotp(
  baseUrl: string,
  account: MfaAccount,
  clock: ManualClock,
): Promise<string> {
  const token = await mfaTokenOf(baseUrl, account);
  const res = await request<{ token: string }>(baseUrl, 'POST', '/api/user/mfa/auth', {
    body: { token, code: await nextCode(account.secret, clock) },
  });
  if (res.status !== 200) throw new Error(`mfa auth: ${res.status} ${res.text}`);
  return res.json.token;
}

/** A reader of the server's outbox (a second connection, the server's keys). */
export function openMailbox(
  server: Pick<TestServer, 'databaseFile'> & Partial<Pick<TestServer, 'postgres'>>,
  keys: { JWT_SECRET: string; ENCRYPTION_KEY: string },
) {
  const withCore = async <T>(fn: (core: Core) => Promise<T>): Promise<T> => {
    const store = server.postgres
      ? openPostgresStore(server.postgres.url, { schemaName: server.postgres.schemaName })
      : openSqliteStore(server.databaseFile);
    try {
      return await fn(
        createCore({
          store,
          config: {
            issuer: 'Twofold',
            publicUrl: 'http://127.0.0.1',
            jwtSecret: new Uint8Array(Buffer.from(keys.JWT_SECRET)),
            encryptionKeys: [new Uint8Array(Buffer.from(keys.ENCRYPTION_KEY, 'hex'))],
            tokenHashKey: deriveTokenHashKey(new Uint8Array(Buffer.from(keys.ENCRYPTION_KEY, 'hex'))),
          },
        }),
      );
    } finally {
      await store.close();
    }
  };
  return {
    resetCodes: (account: Pick<MfaAccount, 'email' | 'recoveryEmail'>) =>
      withCore(async (core) => ({
        main_email_code: await latestResetCode(core, account.email),
        recovery_email_code: await latestResetCode(core, account.recoveryEmail),
      })),
    /** The code and link token of the newest forgot-password mail to `email`. */
    passwordReset: (email: string) => withCore((core) => latestPasswordReset(core, email)),
    /** The code and link token of the newest verification mail to `email`. */
    emailVerification: (email: string) => withCore((core) => latestEmailVerification(core, email)),
    /** The token of the undo link in the newest email-changed notice to `email` (the old address). */
    emailChangeUndo: (email: string) => withCore((core) => latestEmailChangeUndo(core, email)),
    all: () => withCore(async (core) => readOutbox(core)),
  };
}
