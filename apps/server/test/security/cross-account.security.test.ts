// Invariant: nothing of user A — MFA token, TOTP code, recovery code, reset token, reset codes, recovery window, session — ever acts on user B.
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccount, request } from '../support/http.js';
import {
  createMfaUser,
  knownKeys,
  type MfaAccount,
  mfaTokenOf,
  openMailbox,
  reauthToken,
} from '../support/mfa.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { codeNow, nextCode } from '../support/totp.js';

const clock = new ManualClock(Date.now());
const keys = knownKeys();
let server: TestServer;
let alice: MfaAccount;
let bob: MfaAccount;

beforeAll(async () => {
  server = await startTestServer({ clock, env: keys });
  alice = await createMfaUser(server.url, clock, await registerAccount(server.url, 'ca'));
  bob = await createMfaUser(server.url, clock, await registerAccount(server.url, 'cb'));
});
afterAll(() => server.close());

const mfaOf = async (account: MfaAccount) =>
  ((await request(server.url, 'GET', '/api/auth/user', { token: account.token })).json as { mfa: boolean })
    .mfa;

describe('cross-account', () => {
  it("A's MFA token with B's valid code logs in nobody", async () => {
    const token = await mfaTokenOf(server.url, alice);
    const res = await request(server.url, 'POST', '/api/user/mfa/auth', {
      body: { token, code: await nextCode(bob.secret, clock) },
    });
    expect(res.status).toBe(401);
    // B's code was not spent by that: B can still use it with B's own token.
    const own = await request(server.url, 'POST', '/api/user/mfa/auth', {
      body: { token: await mfaTokenOf(server.url, bob), code: await codeNow(bob.secret, clock) },
    });
    expect(own.status).toBe(200);
    expect(own.json).toMatchObject({ id: bob.id });
  });

  it("A's recovery code does not recover B, and stays usable by A", async () => {
    for (const identifier of [bob.username, bob.email]) {
      const res = await request(server.url, 'POST', '/api/user/mfa/recover', {
        body: { identifier, recovery_code: alice.recoveryCodes[5] },
      });
      expect(res.status).toBe(401);
    }
    const own = await request(server.url, 'POST', '/api/user/mfa/recover', {
      body: { identifier: alice.username, recovery_code: alice.recoveryCodes[5] },
    });
    expect(own.status).toBe(200);
    expect(own.json).toMatchObject({ id: alice.id });
    alice = { ...alice, token: (own.json as { token: string }).token };
  });

  it("A's recovery window and session disable only A's MFA", async () => {
    // Alice is inside a recovery window now; Bob is not.
    expect(
      (await request(server.url, 'PUT', '/api/user/mfa/disable', { token: bob.token, body: {} })).status,
    ).toBe(403);
    expect(await mfaOf(bob)).toBe(true);
    // Alice's TOTP code through Bob's session is a wrong proof for Bob.
    const res = await request(server.url, 'PUT', '/api/user/mfa/disable', {
      token: bob.token,
      body: { code: await nextCode(alice.secret, clock) },
    });
    expect(res.status).toBe(403);
    expect(await mfaOf(bob)).toBe(true);
    expect(
      (await request(server.url, 'PUT', '/api/user/mfa/recovery/disable', { token: alice.token })).status,
    ).toBe(200);
    expect(await mfaOf(alice)).toBe(false);
    expect(await mfaOf(bob)).toBe(true);
  });

  it("A's reset token or codes never reset B", async () => {
    const carol = await createMfaUser(server.url, clock, await registerAccount(server.url, 'cc'));
    const tokenOf = async (identifier: string) =>
      (
        (await request(server.url, 'POST', '/api/user/mfa/reset', { body: { identifier } })).json as {
          token: string;
        }
      ).token;
    const carolToken = await tokenOf(carol.username);
    const bobToken = await tokenOf(bob.username);
    const mailbox = openMailbox(server, keys);
    const carolCodes = await mailbox.resetCodes(carol);
    const bobCodes = await mailbox.resetCodes(bob);
    // Carol's codes on Bob's token and id; Bob's codes on Carol's token; mixed pairs.
    for (const [id, body] of [
      [bobToken, carolCodes],
      [bob.id, carolCodes],
      [carolToken, bobCodes],
      [
        bobToken,
        { main_email_code: bobCodes.main_email_code, recovery_email_code: carolCodes.recovery_email_code },
      ],
    ] as const) {
      expect((await request(server.url, 'PUT', `/api/user/mfa/reset/${id}`, { body })).status).toBe(401);
    }
    expect(await mfaOf(bob)).toBe(true);
    // The owners' own pairs still work (4 failures each is under the burn limit of 5).
    const done = await request(server.url, 'PUT', `/api/user/mfa/reset/${carolToken}`, { body: carolCodes });
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ id: carol.id });
    expect(await mfaOf(bob)).toBe(true);
  });

  it("A's session edits only A's profile", async () => {
    const res = await request(server.url, 'PATCH', '/api/users', {
      token: alice.token,
      body: { name: 'Mallory' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: alice.id, name: 'Mallory' });
    const bobNow = (await request(server.url, 'GET', '/api/auth/user', { token: bob.token })).json as {
      name: string;
    };
    expect(bobNow.name).not.toBe('Mallory');
    // B's address as A's recovery email: refused (on a fresh session, past the re-authentication).
    const steal = await request(server.url, 'PATCH', '/api/users', {
      token: await reauthToken(server.url, alice, clock),
      body: { recovery_email: bob.email },
    });
    expect(steal.status).toBe(409);
  });
});
