import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@twofold/api';
import type { Clock } from '@twofold/core';
import { testStoreDialect, totpAt } from '@twofold/core/testing';
import { parseEnvConfig } from '../../src/config.js';
import { type RunningServer, type StartOptions, startServer } from '../../src/start-server.js';
import { createPostgresEnv } from './postgres-env.js';

/** A temporary DATA_DIR that several servers can share (several processes on one database). */
export function createDataDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'twofold-server-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A real listener on 127.0.0.1 with a free port; the mail worker only sends when asked (`drain`). */
export async function startTestServer(
  dataDir: string,
  clock: Clock,
  env: Record<string, string | undefined> = {},
  options: Pick<StartOptions, 'logger' | 'webRoot'> = {},
): Promise<RunningServer> {
  // The postgres project runs the race suites on a schema of their own (vitest.config.ts).
  const pg = testStoreDialect() === 'postgres' && !env.DATABASE_URL ? createPostgresEnv() : undefined;
  const config = parseEnvConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    NODE_ENV: 'test',
    ...pg?.env,
    ...env,
  });
  // An hour between polls: tests decide when mail goes out, by moving the clock and draining.
  const server = await startServer(config, {
    clock,
    logger: silentLogger,
    mailPollIntervalMs: 3_600_000,
    ...options,
  });
  if (!pg) return server;
  return {
    ...server,
    async close() {
      await server.close();
      await pg.drop();
    },
  };
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** A JSON call to a running server. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string } = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

let sequence = 0;

export interface MfaAccount {
  id: string;
  username: string;
  email: string;
  recoveryEmail: string;
  password: string;
}

/**
 * Registers an account through the REST API, sets its recovery email and enables MFA, as a
 * client would. Moves the clock past the TOTP step that enable used.
 */
export async function createMfaAccount(
  baseUrl: string,
  clock: Clock & { advanceSeconds(seconds: number): void },
): Promise<MfaAccount> {
  sequence += 1;
  const tag = `${process.pid}x${sequence}`;
  const account = {
    username: `mailer${tag}`,
    email: `main${tag}@example.test`,
    recoveryEmail: `recovery${tag}@example.test`,
    password: `correct horse ${tag}`,
  };
  const registered = await call(baseUrl, 'POST', '/api/register', {
    body: { name: 'Mail Test', email: account.email, username: account.username, password: account.password },
  });
  if (registered.status !== 200) throw new Error(`register: ${registered.status}`);
  const { token, id } = registered.body as { token: string; id: string };
  const updated = await call(baseUrl, 'PATCH', '/api/users', {
    token,
    body: { recovery_email: account.recoveryEmail },
  });
  if (updated.status !== 200) throw new Error(`update: ${updated.status}`);
  const generated = await call(baseUrl, 'GET', '/api/user/mfa/generate', { token });
  const { secret, recovery_codes } = generated.body as { secret: string; recovery_codes: string[] };
  const code = await totpAt(secret, clock.now());
  const enabled = await call(baseUrl, 'PUT', '/api/user/mfa/enable', {
    token,
    body: { code, secret, recovery_codes },
  });
  if (enabled.status !== 200) throw new Error(`enable: ${enabled.status}`);
  clock.advanceSeconds(30);
  return { id, ...account };
}

/** docs/contract.md: the reset code stands alone on its own line, from this alphabet. */
const RESET_CODE_LINE = /^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{5}$/;

export function resetCodeIn(text: string): string {
  const lines = text.split('\n').map((line) => line.trim());
  const codes = lines.filter((line) => RESET_CODE_LINE.test(line));
  if (codes.length !== 1) throw new Error(`expected one code line, found ${codes.length}`);
  return codes[0] as string;
}
