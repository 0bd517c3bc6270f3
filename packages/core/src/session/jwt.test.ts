import { createSigner } from 'fast-jwt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createUser,
  openTestCore,
  type StoreTestCore,
  signWithSessionKey,
  testSql,
} from '../testing/index.js';
import { authenticateSession } from './authenticate.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

describe('session JWTs', () => {
  it('authenticate their user until they expire after 24 hours', async () => {
    const { auth } = await createUser(t.core);
    await expect(authenticateSession(t.core, auth.token)).resolves.toMatchObject({ id: auth.id });
    t.clock.advanceSeconds(24 * 3600 - 1);
    await expect(authenticateSession(t.core, auth.token)).resolves.toMatchObject({ id: auth.id });
    t.clock.advanceSeconds(2);
    await expect(authenticateSession(t.core, auth.token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('are refused once their session row is gone', async () => {
    const { auth } = await createUser(t.core);
    await testSql(t.core).run('DELETE FROM sessions WHERE user_id = ?', auth.id);
    await expect(authenticateSession(t.core, auth.token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuse forged tokens: alg none, a wrong key, a tampered payload', async () => {
    const { auth } = await createUser(t.core);
    const [header, payload] = auth.token.split('.') as [string, string];
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    const wrongKey = createSigner({ key: Buffer.alloc(32, 7), algorithm: 'HS256', expiresIn: 3_600_000 })({
      sub: auth.id,
      sid: 'x',
      typ: 'session',
      iat: Math.floor(t.clock.now() / 1000),
    });
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sid: 'another' })).toString('base64url')}.${auth.token.split('.')[2]}`;
    // Proof times are numbers or absent; anything else is no session of ours.
    const badProof = await signWithSessionKey(t.core, {
      sub: auth.id,
      sid: claims.sid,
      typ: 'session',
      iat: Math.floor(t.clock.now() / 1000),
      pwd_at: 'now',
    });
    // The old HS256 secret signs nothing we accept.
    const legacy = createSigner({
      key: Buffer.from(t.config.jwtSecret),
      algorithm: 'HS256',
      expiresIn: 3_600_000,
    })(claims);
    for (const token of [none, wrongKey, tampered, badProof, legacy, 'not-a-jwt', '']) {
      await expect(authenticateSession(t.core, token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });
});
