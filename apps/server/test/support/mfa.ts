import { randomBytes } from 'node:crypto';
import { type Core, createCore, deriveTokenHashKey, openPostgresStore, openSqliteStore } from '@twofold/core';
import {
  latestEmailVerification,
  latestPasswordReset,
  latestResetCode,
  type ManualClock,
  readOutbox,
} from '@twofold/core/testing';
import { type Account, request } from './http.js';
import type { TestServer } from './test-server.js';
import { timeStepOf, totpAt } from './totp.js';

export interface MfaAccount extends Account {
  secret: string;
  recoveryCodes: string[];
  recoveryEmail: string;
}

/** Keys the suites pass to the server, so they can open the outbox like a mail reader. */
export function knownKeys() {
  return { JWT_SECRET: randomBytes(24).toString('hex'), ENCRYPTION_KEY: randomBytes(32).toString('hex') };
}

/** The current TOTP code of `secret` by the server's clock. */
export function codeNow(secret: string, clock: ManualClock): string {
  return totpAt(secret, timeStepOf(clock.now()));
}

/** Moves to the next time step (replay protection refuses a step twice) and returns its code. */
export function nextCode(secret: string, clock: ManualClock): string {
  clock.advanceSeconds(30);
  return codeNow(secret, clock);
}

/** Sets a recovery email, generates and enables MFA, all over HTTP. */
export async function enableMfa(baseUrl: string, account: Account, clock: ManualClock): Promise<MfaAccount> {
  const recoveryEmail = `rec-${account.username}@example.test`;
  const patch = await request(baseUrl, 'PATCH', '/api/users', {
    token: account.token,
    body: { recovery_email: recoveryEmail },
  });
  if (patch.status !== 200) throw new Error(`set recovery email: ${patch.status} ${patch.text}`);
  const generated = await request(baseUrl, 'GET', '/api/user/mfa/generate', { token: account.token });
  if (generated.status !== 200) throw new Error(`generate: ${generated.status} ${generated.text}`);
  const { secret, recovery_codes } = generated.json as { secret: string; recovery_codes: string[] };
  const enabled = await request(baseUrl, 'PUT', '/api/user/mfa/enable', {
    token: account.token,
    body: { code: codeNow(secret, clock), secret, recovery_codes },
  });
  if (enabled.status !== 200) throw new Error(`enable: ${enabled.status} ${enabled.text}`);
  return { ...account, secret, recoveryCodes: recovery_codes, recoveryEmail };
}

/**
 * POST /api/user/reauth with the password (and, for an MFA account, the code of the next
 * step): the same session's token, fresh for 15 minutes (docs/contract.md § Re-authentication).
 */
export async function reauthToken(
  baseUrl: string,
  account: Account & Partial<Pick<MfaAccount, 'secret'>>,
  clock: ManualClock,
): Promise<string> {
  const code = account.secret === undefined ? {} : { code: nextCode(account.secret, clock) };
  const res = await request(baseUrl, 'POST', '/api/user/reauth', {
    token: account.token,
    body: { password: account.password, ...code },
  });
  if (res.status !== 200) throw new Error(`reauth: ${res.status} ${res.text}`);
  return (res.json as { token: string }).token;
}

/** The password step of an MFA user: the X-MFA-Token of its 401. */
export async function mfaTokenOf(
  baseUrl: string,
  account: Account,
  headers: Record<string, string> = {},
): Promise<string> {
  const res = await request(baseUrl, 'POST', '/api/login', {
    body: { username: account.username, password: account.password },
    headers,
  });
  const token = res.headers.get('x-mfa-token');
  if (res.status !== 401 || !token) throw new Error(`expected an MFA token: ${res.status} ${res.text}`);
  return token;
}

/** Full login with TOTP at the next time step: a fresh session JWT. */
export async function loginWithTotp(
  baseUrl: string,
  account: MfaAccount,
  clock: ManualClock,
): Promise<string> {
  const token = await mfaTokenOf(baseUrl, account);
  const res = await request(baseUrl, 'POST', '/api/user/mfa/auth', {
    body: { token, code: nextCode(account.secret, clock) },
  });
  if (res.status !== 200) throw new Error(`mfa auth: ${res.status} ${res.text}`);
  return (res.json as { token: string }).token;
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
    all: () => withCore(async (core) => readOutbox(core)),
  };
}
