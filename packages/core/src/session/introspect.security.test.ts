/**
 * Invariant: introspection answers `active: true` exactly for a token that would authenticate a
 * request now, and `{active: false}` alike for every other (ended, expired, forged, another
 * key's or another service's), telling nothing more (docs/contract.md § Sessions other services
 * verify).
 */
import { generateKeyPairSync } from 'node:crypto';
import { createSigner } from 'fast-jwt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disableUserForAdmin } from '../admin/actions.js';
import { createAdminKey } from '../admin/keys.js';
import { loginWithPassword } from '../auth/login.js';
import {
  createUser,
  enableMfaForUser,
  openTestCore,
  type StoreTestCore,
  signWithSessionKey,
  TEST_META,
} from '../testing/index.js';
import { readSession } from './authenticate.js';
import { endOtherSessions, logout } from './end.js';
import { introspectSession } from './introspect.js';
import { SESSION_TTL_SECONDS } from './jwt.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const introspect = (token: string) => introspectSession(t.core, { token });
const inactive = { active: false };
const nowSec = () => Math.floor(t.clock.now() / 1000);

function partsOf(token: string) {
  const [header, payload] = token.split('.') as [string, string, string];
  const decode = (part: string) =>
    JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;
  return { header: decode(header), payload: decode(payload) };
}

async function login(input: { username: string; password: string }) {
  const result = await loginWithPassword(t.core, input, TEST_META);
  if (result.status !== 'authenticated') throw new Error('expected a session');
  return result.auth;
}

describe('a live session', () => {
  it('is active, with its user, session, lifetime and login method', async () => {
    const { input, auth } = await createUser(t.core);
    const session = await readSession(t.core, auth.token);
    const answer = await introspect(auth.token);
    expect(answer).toEqual({
      active: true,
      sub: auth.id,
      sid: session.id,
      username: input.username,
      iat: nowSec(),
      exp: nowSec() + SESSION_TTL_SECONDS,
      auth_method: 'registration',
    });
    const byPassword = await login(input);
    expect(await introspect(byPassword.token)).toMatchObject({ active: true, auth_method: 'password' });
  });

  it('says when it may only set up a second factor (required MFA), and stops saying so once one is on', async () => {
    await t.close();
    t = await openTestCore({ requireMfa: { graceDays: 0, sinceMs: 0 } });
    const { auth } = await createUser(t.core);
    expect(await introspect(auth.token)).toMatchObject({ active: true, mfa_enrollment_required: true });
    await enableMfaForUser(t.core, auth);
    expect(await introspect(auth.token)).not.toHaveProperty('mfa_enrollment_required');
  });
});

describe('a session that is not live', () => {
  it('is inactive once logged out, ended from another session, or its account disabled', async () => {
    const { input, auth } = await createUser(t.core);
    const second = await login(input);
    const third = await login(input);
    await logout(t.core, second.token, TEST_META);
    expect(await introspect(second.token)).toEqual(inactive);
    expect(await introspect(auth.token)).toMatchObject({ active: true });

    await endOtherSessions(t.core, await readSession(t.core, auth.token), TEST_META);
    expect(await introspect(third.token)).toEqual(inactive);

    const { adminKey } = await createAdminKey(t.core, { name: 'ops', scopes: ['users:write'] });
    await disableUserForAdmin(t.core, { key: adminKey, meta: TEST_META }, auth.id);
    expect(await introspect(auth.token)).toEqual(inactive);
  });

  it('is inactive once expired, and not a second before', async () => {
    const { auth } = await createUser(t.core);
    t.clock.advanceSeconds(SESSION_TTL_SECONDS - 1);
    expect(await introspect(auth.token)).toMatchObject({ active: true });
    t.clock.advanceSeconds(1);
    expect(await introspect(auth.token)).toEqual(inactive);
  });
});

describe('tokens that are not ours', () => {
  it('are inactive when forged: tampered, alg none, HS256 under the old secret, no session, malformed', async () => {
    const { auth } = await createUser(t.core);
    const { payload } = partsOf(auth.token);
    const [header, body, signature] = auth.token.split('.') as [string, string, string];
    const otherUser = Buffer.from(JSON.stringify({ ...payload, sub: 'someone-else' })).toString('base64url');
    const tampered = `${header}.${otherUser}.${signature}`;
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${body}.`;
    const legacy = createSigner({
      key: Buffer.from(t.config.jwtSecret),
      algorithm: 'HS256',
      expiresIn: 3_600_000,
    })({ ...payload, exp: undefined });
    // Signed by our key, but naming a session that does not exist.
    const noSession = await signWithSessionKey(t.core, {
      sub: auth.id,
      sid: 'no-such-session',
      typ: 'session',
      iat: nowSec(),
    });
    for (const token of [tampered, none, legacy, noSession, 'not-a-jwt', '', `${auth.token}x`]) {
      expect(await introspect(token)).toEqual(inactive);
    }
  });

  it('are inactive under another kid: a foreign key under ours, an unknown kid, another Twofold', async () => {
    const { auth } = await createUser(t.core);
    const { header, payload } = partsOf(auth.token);
    const foreign = generateKeyPairSync('ed25519')
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    const sign = (kid: string) =>
      createSigner({ key: foreign, algorithm: 'EdDSA', kid, expiresIn: 3_600_000 })({
        ...payload,
        exp: undefined,
      });
    const elsewhere = await openTestCore();
    try {
      const fromElsewhere = await createUser(elsewhere.core);
      expect(partsOf(fromElsewhere.auth.token).header.kid).not.toBe(header.kid);
      for (const token of [sign(String(header.kid)), sign('not-ours'), fromElsewhere.auth.token]) {
        expect(await introspect(token)).toEqual(inactive);
      }
    } finally {
      await elsewhere.close();
    }
  });
});
