/**
 * Invariant: a WebAuthn answer counts once, for this site only, from the authenticator that
 * holds the key — its challenge is single use and short-lived, the origin and RP ID are
 * checked, a counter that goes backwards is refused and reported, passkey login needs user
 * verification, and failures count where the contract says (docs/contract.md § WebAuthn).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import { reauthenticate } from '../auth/reauthenticate.js';
import { DomainError } from '../errors.js';
import { listSecurityEvents } from '../events/list.js';
import { authenticateMfa } from '../mfa/authenticate.js';
import { readSession } from '../session/authenticate.js';
import {
  createMfaUser,
  createUser,
  freshSession,
  openTestCore,
  outcomeOf,
  readOutbox,
  registerTestCredential,
  type StoreTestCore,
  TEST_META,
  TestAuthenticator,
  testSql,
  totpAt,
} from '../testing/index.js';
import { findUserById, type User } from '../users/find.js';
import { WEBAUTHN_CHALLENGE_TTL_SECONDS } from './challenges.js';
import { removeWebAuthnCredential } from './manage.js';
import { loginWithPasskey, startPasskeyLogin } from './passwordless.js';
import { startWebAuthnReauth } from './reauth-options.js';
import { registerWebAuthnCredential } from './register.js';
import { startWebAuthnRegistration } from './registration-options.js';
import { authenticateMfaWebAuthn, startWebAuthnSecondStep } from './second-step.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const EVIL_ORIGIN = 'https://evil.example';

const userOf = async (id: string): Promise<User> => {
  const user = await findUserById(t.core.store, id);
  if (!user) throw new Error(`no user ${id}`);
  return user;
};

async function mfaToken(input: { username: string; password: string }): Promise<string> {
  const result = await loginWithPassword(t.core, input, TEST_META);
  if (result.status !== 'mfa_required') throw new Error('expected the MFA step');
  return result.mfaToken;
}

/** A user whose only second factor is `key`. */
async function keyUser(key = new TestAuthenticator(), passwordless = false) {
  const { input, auth } = await createUser(t.core);
  const registered = await registerTestCredential(t.core, auth, key, { passwordless });
  return { input, auth, key, registered };
}

/** Options for the second step of a fresh password login. */
async function secondStep(input: { username: string; password: string }) {
  const token = await mfaToken(input);
  const { options } = await startWebAuthnSecondStep(t.core, { token });
  return { token, options };
}

function refusals(results: PromiseSettledResult<unknown>[]): string[] {
  return results.flatMap((r) => {
    if (r.status === 'fulfilled') return [];
    if (!(r.reason instanceof DomainError)) throw r.reason;
    return [r.reason.code];
  });
}

const eventTypes = async (userId: string) =>
  (await listSecurityEvents(t.core, userId)).events.map((e) => e.type);

describe('single use', () => {
  it('refuses a second-step assertion replayed, even with a new MFA token', async () => {
    const u = await keyUser();
    const { token, options } = await secondStep(u.input);
    const response = u.key.get(options);
    await authenticateMfaWebAuthn(t.core, { token, response }, TEST_META);
    const again = await mfaToken(u.input);
    await expect(
      authenticateMfaWebAuthn(t.core, { token: again, response }, TEST_META),
    ).rejects.toMatchObject({
      code: 'INVALID_ASSERTION',
    });
  });

  it('lets exactly one of 50 parallel submissions of one second-step assertion through', async () => {
    const u = await keyUser();
    const { token, options } = await secondStep(u.input);
    const response = u.key.get(options);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => authenticateMfaWebAuthn(t.core, { token, response }, TEST_META)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const code of refusals(results)) expect(['INVALID_ASSERTION', 'INVALID_MFA_TOKEN']).toContain(code);
  });

  it('lets exactly one of 50 parallel submissions of one synced passkey assertion (counter 0) through', async () => {
    const u = await keyUser(new TestAuthenticator({ signCounterIncrement: 0 }), true);
    const { options } = await startPasskeyLogin(t.core);
    const response = u.key.get(options);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => loginWithPasskey(t.core, { response }, TEST_META)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(new Set(refusals(results))).toEqual(new Set(['INVALID_ASSERTION']));
    // Counter 0 stays acceptable for a new challenge: synced passkeys never count.
    const next = await startPasskeyLogin(t.core);
    await expect(
      loginWithPasskey(t.core, { response: u.key.get(next.options) }, TEST_META),
    ).resolves.toMatchObject({
      id: u.auth.id,
    });
  });

  it('refuses a registration answer used twice, and a challenge past its 5 minutes', async () => {
    const { auth } = await createUser(t.core);
    await registerTestCredential(t.core, auth, new TestAuthenticator());
    const session = () => userOf(auth.id).then((user) => freshSession(t.core, user));
    const { options } = await startWebAuthnRegistration(t.core, await session());
    const response = new TestAuthenticator().create(options);
    const input = { name: 'k', passwordless: false, response };
    await registerWebAuthnCredential(t.core, await session(), input, TEST_META);
    await expect(registerWebAuthnCredential(t.core, await session(), input, TEST_META)).rejects.toMatchObject(
      {
        code: 'PROOF_REJECTED',
      },
    );

    const late = await startWebAuthnRegistration(t.core, await session());
    const lateResponse = new TestAuthenticator().create(late.options);
    t.clock.advanceSeconds(WEBAUTHN_CHALLENGE_TTL_SECONDS + 1);
    await expect(
      registerWebAuthnCredential(t.core, await session(), { ...input, response: lateResponse }, TEST_META),
    ).rejects.toMatchObject({ code: 'PROOF_REJECTED' });
  });

  it('refuses an expired passkey-login challenge and one issued for another ceremony', async () => {
    const u = await keyUser(new TestAuthenticator(), true);
    const { options } = await startPasskeyLogin(t.core);
    const response = u.key.get(options);
    t.clock.advanceSeconds(WEBAUTHN_CHALLENGE_TTL_SECONDS + 1);
    await expect(loginWithPasskey(t.core, { response }, TEST_META)).rejects.toMatchObject({
      code: 'INVALID_ASSERTION',
    });
    // A second-step challenge answered on the passwordless route: its purpose does not match.
    const step = await secondStep(u.input);
    await expect(
      loginWithPasskey(t.core, { response: u.key.get(step.options) }, TEST_META),
    ).rejects.toMatchObject({ code: 'INVALID_ASSERTION' });
  });
});

describe('passkey-login options, asked for by anyone', () => {
  const storedChallenges = async () =>
    (
      await testSql(t.core).get<{ n: number | string }>(
        "SELECT count(*) AS n FROM webauthn_challenges WHERE purpose = 'passwordless'",
      )
    )?.n;

  it('store nothing, however many are asked for; only a usable answer leaves its challenge, used', async () => {
    const u = await keyUser(new TestAuthenticator(), true);
    const flood = await Promise.all(Array.from({ length: 500 }, () => startPasskeyLogin(t.core)));
    expect(new Set(flood.map(({ options }) => options.challenge)).size).toBe(500);
    expect(Number(await storedChallenges())).toBe(0);
    // Made-up credential ids with live challenges: refused, counted, nothing stored.
    for (const { options } of flood.slice(0, 20)) {
      const response = { ...u.key.get(options), id: `bogus-${options.challenge.slice(0, 8)}` };
      await expect(loginWithPasskey(t.core, { response }, TEST_META)).rejects.toMatchObject({
        code: 'INVALID_ASSERTION',
      });
    }
    expect(Number(await storedChallenges())).toBe(0);
    const [last] = flood.slice(-1);
    if (!last) throw new Error('no options');
    await expect(
      loginWithPasskey(t.core, { response: u.key.get(last.options) }, TEST_META),
    ).resolves.toMatchObject({
      id: u.auth.id,
    });
    expect(Number(await storedChallenges())).toBe(1);
  });

  it('refuse a signed answer over a challenge we did not issue, or one whose expiry was moved', async () => {
    const u = await keyUser(new TestAuthenticator(), true);
    const { options } = await startPasskeyLogin(t.core);
    const bytes = Buffer.from(options.challenge, 'base64url');
    const forged = (edit: (copy: Buffer) => void) => {
      const copy = Buffer.from(bytes);
      edit(copy);
      return copy.toString('base64url');
    };
    const challenges = [
      forged((c) => {
        c[c.length - 1] = (c[c.length - 1] ?? 0) ^ 1;
      }),
      // The expiry pushed a day later, the MAC kept.
      forged((c) => c.writeBigUInt64BE(c.readBigUInt64BE(16) + 86_400_000n, 16)),
      Buffer.from(t.core.random.bytes(bytes.length)).toString('base64url'),
      `${options.challenge}A`,
    ];
    for (const challenge of challenges) {
      const response = u.key.get({ ...options, challenge });
      await expect(loginWithPasskey(t.core, { response }, TEST_META)).rejects.toMatchObject({
        code: 'INVALID_ASSERTION',
      });
    }
    expect(Number(await storedChallenges())).toBe(0);
    // The genuine one still works: the forgeries used nothing up.
    await expect(
      loginWithPasskey(t.core, { response: u.key.get(options) }, TEST_META),
    ).resolves.toMatchObject({
      id: u.auth.id,
    });
  });
});

describe('origin and RP ID', () => {
  it('refuses a registration made at another origin or for another RP ID', async () => {
    const { auth } = await createUser(t.core);
    await registerTestCredential(t.core, auth, new TestAuthenticator());
    const session = () => userOf(auth.id).then((user) => freshSession(t.core, user));
    const atEvil = await startWebAuthnRegistration(t.core, await session());
    const fromEvil = new TestAuthenticator().create(atEvil.options, EVIL_ORIGIN);
    await expect(
      registerWebAuthnCredential(
        t.core,
        await session(),
        { name: 'k', passwordless: false, response: fromEvil },
        TEST_META,
      ),
    ).rejects.toMatchObject({ code: 'PROOF_REJECTED' });
    const otherRp = await startWebAuthnRegistration(t.core, await session());
    const forOtherRp = new TestAuthenticator().create({
      ...otherRp.options,
      rp: { ...otherRp.options.rp, id: 'evil.example' },
    });
    await expect(
      registerWebAuthnCredential(
        t.core,
        await session(),
        { name: 'k', passwordless: false, response: forOtherRp },
        TEST_META,
      ),
    ).rejects.toMatchObject({ code: 'PROOF_REJECTED' });
  });

  it('refuses assertions made at another origin or for another RP ID, counting them as failures', async () => {
    const u = await keyUser();
    const first = await secondStep(u.input);
    await expect(
      authenticateMfaWebAuthn(
        t.core,
        { token: first.token, response: u.key.get(first.options, EVIL_ORIGIN) },
        TEST_META,
      ),
    ).rejects.toMatchObject({ code: 'INVALID_ASSERTION' });
    const second = await secondStep(u.input);
    const phished = u.key.forRpId('evil.example').get({ ...second.options, rpId: 'evil.example' });
    await expect(
      authenticateMfaWebAuthn(t.core, { token: second.token, response: phished }, TEST_META),
    ).rejects.toMatchObject({ code: 'INVALID_ASSERTION' });
    expect((await eventTypes(u.auth.id)).filter((type) => type === 'mfa_auth_failed')).toHaveLength(2);
  });
});

describe('signature counter', () => {
  it('refuses a counter that goes backwards, records it and tells the owner', async () => {
    const u = await keyUser();
    const clone = u.key.clone();
    for (let i = 0; i < 2; i += 1) {
      const { token, options } = await secondStep(u.input);
      await authenticateMfaWebAuthn(t.core, { token, response: u.key.get(options) }, TEST_META);
    }
    // The clone signs with counter 1; the server has seen 2.
    const { token, options } = await secondStep(u.input);
    await expect(
      authenticateMfaWebAuthn(t.core, { token, response: clone.get(options) }, TEST_META),
    ).rejects.toMatchObject({ code: 'INVALID_ASSERTION' });
    expect(await eventTypes(u.auth.id)).toContain('webauthn_counter_regressed');
    const [mail] = await readOutbox(t.core);
    expect(mail).toMatchObject({ kind: 'webauthn-clone-suspected', to: u.input.email });
    // The real key, whose counter moves on, still works.
    const next = await secondStep(u.input);
    await expect(
      authenticateMfaWebAuthn(t.core, { token: next.token, response: u.key.get(next.options) }, TEST_META),
    ).resolves.toMatchObject({ id: u.auth.id });
  });
});

describe('user verification', () => {
  it('is not needed for the second factor, and is needed for passkey login', async () => {
    const key = new TestAuthenticator({ isUserVerified: false });
    const u = await keyUser(key);
    const { token, options } = await secondStep(u.input);
    await expect(
      authenticateMfaWebAuthn(t.core, { token, response: key.get(options) }, TEST_META),
    ).resolves.toMatchObject({
      id: u.auth.id,
    });
    // Allowed for passkey login in the database, yet the assertion lacks user verification.
    const [row] = await t.core.store.webauthnCredentials.listOfUser(u.auth.id);
    await t.core.store.transaction((tx) =>
      tx.webauthnCredentials.update({ id: row?.id ?? '', userId: u.auth.id, isPasswordlessAllowed: true }),
    );
    const login = await startPasskeyLogin(t.core);
    await expect(
      loginWithPasskey(t.core, { response: key.get(login.options) }, TEST_META),
    ).rejects.toMatchObject({
      code: 'INVALID_ASSERTION',
    });
  });

  it('is needed to register a credential for passkey login', async () => {
    const { auth } = await createUser(t.core);
    await registerTestCredential(t.core, auth, new TestAuthenticator());
    const session = freshSession(t.core, await userOf(auth.id));
    const { options } = await startWebAuthnRegistration(t.core, session);
    const response = new TestAuthenticator({ isUserVerified: false }).create(options);
    await expect(
      registerWebAuthnCredential(t.core, session, { name: 'k', passwordless: true, response }, TEST_META),
    ).rejects.toMatchObject({ code: 'PROOF_REJECTED' });
  });
});

describe('failure counting', () => {
  it('counts refused assertions on the shared per-user counter: TOTP is locked after 10', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const key = new TestAuthenticator();
    await registerTestCredential(t.core, u.auth, key);
    const outcomes: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const { token, options } = await secondStep(u.input);
      outcomes.push(
        await outcomeOf(
          authenticateMfaWebAuthn(t.core, { token, response: key.get(options, EVIL_ORIGIN) }, TEST_META),
        ),
      );
    }
    expect(outcomes).toEqual(Array(10).fill('INVALID_ASSERTION'));
    const code = await totpAt(u.secret, t.clock.now());
    await expect(
      authenticateMfa(t.core, { token: await mfaToken(u.input), code }, TEST_META),
    ).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
    });
    const { token, options } = await secondStep(u.input);
    await expect(
      authenticateMfaWebAuthn(t.core, { token, response: key.get(options) }, TEST_META),
    ).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
    });
  });

  it('kills the MFA token after 5 refused assertions', async () => {
    const u = await keyUser();
    const token = await mfaToken(u.input);
    for (let i = 0; i < 5; i += 1) {
      const { options } = await startWebAuthnSecondStep(t.core, { token });
      await expect(
        authenticateMfaWebAuthn(t.core, { token, response: u.key.get(options, EVIL_ORIGIN) }, TEST_META),
      ).rejects.toMatchObject({ code: 'INVALID_ASSERTION' });
    }
    await expect(startWebAuthnSecondStep(t.core, { token })).rejects.toMatchObject({
      code: 'INVALID_MFA_TOKEN',
    });
  });

  it('counts passkey-login failures per credential id and address, never on the user', async () => {
    const u = await keyUser(new TestAuthenticator(), true);
    for (let i = 0; i < 10; i += 1) {
      const { options } = await startPasskeyLogin(t.core);
      await expect(
        loginWithPasskey(t.core, { response: u.key.get(options, EVIL_ORIGIN) }, TEST_META),
      ).rejects.toMatchObject({ code: 'INVALID_ASSERTION' });
    }
    const { options } = await startPasskeyLogin(t.core);
    const response = u.key.get(options);
    await expect(loginWithPasskey(t.core, { response }, TEST_META)).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
    });
    // Another address is not locked, and neither is the owner's second step.
    await expect(
      loginWithPasskey(t.core, { response }, { clientAddress: '192.0.2.7' }),
    ).resolves.toMatchObject({
      id: u.auth.id,
    });
    const step = await secondStep(u.input);
    await expect(
      authenticateMfaWebAuthn(t.core, { token: step.token, response: u.key.get(step.options) }, TEST_META),
    ).resolves.toMatchObject({ id: u.auth.id });
    expect(await eventTypes(u.auth.id)).not.toContain('second_factor_locked');
  });
});

describe('re-authentication with a key', () => {
  it('makes a key-only session fresh once, with the password; the answer cannot be used again', async () => {
    const u = await keyUser();
    // The registration's own session, its proofs long gone.
    const { id } = await readSession(t.core, u.auth.token);
    const user = await userOf(u.auth.id);
    const stale = { id, user, proofs: { passwordAtSec: 0, secondFactorAtSec: 0 } };
    const { options } = await startWebAuthnReauth(t.core, stale);
    const webauthn = u.key.get(options);
    // Without a second factor: 400 naming code, as for TOTP users.
    await expect(
      reauthenticate(t.core, stale, { password: u.input.password }, TEST_META),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const refreshed = await reauthenticate(
      t.core,
      stale,
      { password: u.input.password, webauthn },
      TEST_META,
    );
    await expect(
      reauthenticate(t.core, stale, { password: u.input.password, webauthn }, TEST_META),
    ).rejects.toMatchObject({ code: 'PROOF_REJECTED' });
    // The new token is fresh: it may remove the key (a change of factors).
    const session = await readSession(t.core, refreshed.token);
    await removeWebAuthnCredential(t.core, session, { id: u.registered.credential.id }, TEST_META);
  });

  it('counts a refused key answer on the per-user counter', async () => {
    const u = await keyUser();
    const stale = {
      id: 'no-session-row',
      user: await userOf(u.auth.id),
      proofs: { passwordAtSec: 0, secondFactorAtSec: 0 },
    };
    const { options } = await startWebAuthnReauth(t.core, stale);
    await expect(
      reauthenticate(
        t.core,
        stale,
        { password: u.input.password, webauthn: u.key.get(options, EVIL_ORIGIN) },
        TEST_META,
      ),
    ).rejects.toMatchObject({ code: 'PROOF_REJECTED' });
    expect(await eventTypes(u.auth.id)).toContain('second_factor_failed');
  });
});
