import type { TRegisterInput, TUserAuth } from '@twofold/core';
import { buildRegisterInput } from '@twofold/core/testing';
import { expect } from 'vitest';
import type { TestServer } from './test-server.js';
import { TOTP_PERIOD_SECONDS, totpAt } from './totp.js';

/** The body of GET /api/user/mfa/generate (seed: MfaGenerate). */
export interface MfaGenerate {
  link: string;
  secret: string;
  recovery_codes: string[];
}

export interface RegisteredUser {
  input: TRegisterInput;
  auth: TUserAuth;
}

export interface MfaUser extends RegisteredUser {
  recoveryEmail: string;
  secret: string;
  recoveryCodes: string[];
}

/** docs/contract.md § Reset by email: the alphabet of the email reset codes. */
export const RESET_CODE_PATTERN = /^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{5}$/m;

export async function registerUser(
  server: TestServer,
  overrides: Partial<TRegisterInput> = {},
): Promise<RegisteredUser> {
  const input = buildRegisterInput(overrides);
  const response = await server.rest<TUserAuth>('POST', '/api/register', { json: input });
  expect(response.status).toBe(200);
  return { input, auth: response.body };
}

export function recoveryEmailOf(input: TRegisterInput): string {
  return `recovery.${input.email}`;
}

export async function setRecoveryEmail(server: TestServer, token: string, email: string): Promise<void> {
  const response = await server.rest('PATCH', '/api/users', { token, json: { recovery_email: email } });
  expect(response.status).toBe(200);
}

export async function generateMfa(server: TestServer, token: string): Promise<MfaGenerate> {
  const response = await server.rest<MfaGenerate>('GET', '/api/user/mfa/generate', { token });
  expect(response.status).toBe(200);
  return response.body;
}

/**
 * POST /api/user/reauth: proves the password (and `code` with MFA on) again and returns the
 * fresh token of the same session (docs/contract.md § Re-authentication).
 */
export async function reauth(server: TestServer, token: string, password: string, code?: string) {
  const response = await server.rest<TUserAuth>('POST', '/api/user/reauth', {
    token,
    json: { password, ...(code === undefined ? {} : { code }) },
  });
  expect(response.status).toBe(200);
  return response.body.token;
}

/**
 * The code the user's authenticator shows after moving the clock one period on, so each
 * code of a flow is a fresh time step (a step once accepted is never accepted again).
 */
export function nextTotp(server: TestServer, secret: string): Promise<string> {
  server.clock.advanceSeconds(TOTP_PERIOD_SECONDS);
  return totpAt(secret, server.clock.now());
}

/** Register, set a recovery email, generate and enable MFA: a user as clients find one. */
export async function createMfaUser(
  server: TestServer,
  overrides: Partial<TRegisterInput> = {},
): Promise<MfaUser> {
  const { input, auth } = await registerUser(server, overrides);
  const recoveryEmail = recoveryEmailOf(input);
  await setRecoveryEmail(server, auth.token, recoveryEmail);
  const generated = await generateMfa(server, auth.token);
  const code = await nextTotp(server, generated.secret);
  const enabled = await server.rest('PUT', '/api/user/mfa/enable', {
    token: auth.token,
    json: { code, secret: generated.secret, recovery_codes: generated.recovery_codes },
  });
  expect(enabled.status).toBe(200);
  return { input, auth, recoveryEmail, secret: generated.secret, recoveryCodes: generated.recovery_codes };
}

/** The password step of an MFA user: 401 with the X-MFA-Token header. */
export async function passwordStep(server: TestServer, input: TRegisterInput): Promise<string> {
  const response = await server.rest('POST', '/api/login', {
    json: { username: input.username, password: input.password },
  });
  expect(response.status).toBe(401);
  expect(response.body).toMatchObject({ code: 'MFA_REQUIRED' });
  const token = response.headers.get('x-mfa-token');
  expect(token).toMatch(/^[0-9a-f-]{36}$/);
  return token ?? '';
}

/** Both email reset codes of the newest reset request of `user`, read from the outbox. */
export async function resetCodesOf(
  server: TestServer,
  user: { input: TRegisterInput; recoveryEmail: string },
) {
  const mails = await server.mail();
  const codeTo = (to: string) => {
    const mail = mails.find((m) => m.kind === 'reset-code' && m.to === to.toLowerCase());
    const code = mail?.text.split('\n').find((line) => RESET_CODE_PATTERN.test(line.trim()));
    if (!code) throw new Error(`no reset code mailed to ${to}`);
    return code.trim();
  };
  return { main_email_code: codeTo(user.input.email), recovery_email_code: codeTo(user.recoveryEmail) };
}

/** The user id carried by the link in the reset email (`PUBLIC_URL/mfa/reset/<user-id>`). */
export async function resetLinkIdOf(server: TestServer, email: string): Promise<string> {
  const mail = (await server.mail()).find((m) => m.kind === 'reset-code' && m.to === email.toLowerCase());
  const id = mail?.text.match(/\/mfa\/reset\/([^\s/]+)/)?.[1];
  if (!id) throw new Error(`no reset link mailed to ${email}`);
  return decodeURIComponent(id);
}
