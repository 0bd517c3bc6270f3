/**
 * Invariant: a session JWT is valid only when signed by one of our Ed25519 keys under the
 * algorithm that key is pinned to; the public keys are published before they sign; the old
 * HS256 secret verifies nothing, so whoever holds it cannot mint sessions (docs/contract.md §
 * Sessions other services verify).
 */
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { createSigner } from 'fast-jwt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../context.js';
import { createUser, openTestCore, type StoreTestCore, testSql } from '../testing/index.js';
import { openSameDatabaseStore } from '../testing/same-database.js';
import { authenticateSession } from './authenticate.js';
import { SESSION_TTL_SECONDS } from './jwt.js';
import { DEFAULT_ROTATION_DAYS, PUBLISH_LEAD_MS, type PublicSigningJwk } from './signing-keys.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const TTL_MS = SESSION_TTL_SECONDS * 1000;
const nowSec = () => Math.floor(t.clock.now() / 1000);

function partsOf(token: string) {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const decode = (part: string) =>
    JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;
  return { header: decode(header), payload: decode(payload), signed: `${header}.${payload}`, signature };
}

/** Verifies as a relying service would: with nothing but the published JWK of the token's kid. */
function verifiesWithPublishedKey(token: string, jwks: readonly PublicSigningJwk[]): boolean {
  const { header, signed, signature } = partsOf(token);
  const jwk = jwks.find((key) => key.kid === header.kid);
  if (!jwk || header.alg !== 'EdDSA') return false;
  const publicKey = createPublicKey({ key: { ...jwk }, format: 'jwk' });
  return verify(null, Buffer.from(signed), publicKey, Buffer.from(signature, 'base64url'));
}

const published = () => t.core.signingKeys.published(TTL_MS);

describe('session tokens', () => {
  it('are EdDSA, name a published key, and verify with that key alone', async () => {
    const { auth } = await createUser(t.core);
    const { header } = partsOf(auth.token);
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'JWT' });
    const jwks = await published();
    expect(jwks).toEqual([expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' })]);
    expect(jwks.map((key) => key.kid)).toEqual([header.kid]);
    expect(verifiesWithPublishedKey(auth.token, jwks)).toBe(true);
  });

  it('keep private keys sealed at rest', async () => {
    await createUser(t.core);
    const rows = await testSql(t.core).all<Record<string, unknown>>('SELECT * FROM signing_keys');
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toMatch(/PRIVATE KEY|"d"/);
  });
});

describe('rotation', () => {
  it('publishes the new key before it signs; old tokens verify until they expire', async () => {
    const { auth } = await createUser(t.core);
    const oldKid = partsOf(auth.token).header.kid;
    const added = await t.core.signingKeys.rotate();
    expect((await published()).map((key) => key.kid)).toEqual([oldKid, added.kid]);

    // Within the lead the old key still signs.
    const during = await createUser(t.core);
    expect(partsOf(during.auth.token).header.kid).toBe(oldKid);

    t.clock.advanceSeconds(PUBLISH_LEAD_MS / 1000);
    const after = await createUser(t.core);
    expect(partsOf(after.auth.token).header.kid).toBe(added.kid);
    await expect(authenticateSession(t.core, during.auth.token)).resolves.toMatchObject({
      id: during.auth.id,
    });

    // The old key leaves the set once every token it signed has expired, and so do its tokens.
    t.clock.advanceSeconds(SESSION_TTL_SECONDS);
    expect((await published()).map((key) => key.kid)).toEqual([added.kid]);
    await expect(authenticateSession(t.core, during.auth.token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const later = await createUser(t.core);
    await expect(authenticateSession(t.core, later.auth.token)).resolves.toMatchObject({ id: later.auth.id });
  });

  it('happens on its own once the signing key is older than the rotation period', async () => {
    const first = await createUser(t.core);
    const firstKid = partsOf(first.auth.token).header.kid;
    t.clock.advanceSeconds(DEFAULT_ROTATION_DAYS * 24 * 3600);
    const aged = await createUser(t.core);
    expect(partsOf(aged.auth.token).header.kid).toBe(firstKid);
    const jwks = await published();
    expect(jwks).toHaveLength(2);
    t.clock.advanceSeconds(PUBLISH_LEAD_MS / 1000);
    const rotated = await createUser(t.core);
    expect(partsOf(rotated.auth.token).header.kid).toBe(jwks[1]?.kid);
    expect(await published()).toHaveLength(2);
  });

  it('reaches another instance on the same database before the new key signs', async () => {
    await createUser(t.core);
    const otherStore = openSameDatabaseStore(t.store);
    try {
      const other = createCore({ store: otherStore, clock: t.clock, config: t.config });
      const fromOther = await createUser(other);
      await expect(authenticateSession(t.core, fromOther.auth.token)).resolves.toMatchObject({
        id: fromOther.auth.id,
      });
      const added = await t.core.signingKeys.rotate();
      t.clock.advanceSeconds(PUBLISH_LEAD_MS / 1000);
      const signedByOther = await createUser(other);
      expect(partsOf(signedByOther.auth.token).header.kid).toBe(added.kid);
      await expect(authenticateSession(t.core, signedByOther.auth.token)).resolves.toMatchObject({
        id: signedByOther.auth.id,
      });
    } finally {
      await otherStore.close();
    }
  });
});

describe('the HS256 secret of earlier versions', () => {
  it('verifies nothing: a token under JWT_SECRET is refused, whatever it claims', async () => {
    const { auth } = await createUser(t.core);
    const { payload } = partsOf(auth.token);
    const key = Buffer.from(t.config.jwtSecret);
    for (const iat of [nowSec(), nowSec() - 3600]) {
      const minted = createSigner({ key, algorithm: 'HS256', expiresIn: 3_600_000 })({
        ...payload,
        iat,
        exp: undefined,
      });
      await expect(authenticateSession(t.core, minted)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });
});

describe('forged tokens', () => {
  it('are refused: HS256 keyed with the public key under our kid, a foreign key under our kid, alg none, an unknown kid', async () => {
    const { auth } = await createUser(t.core);
    const { header, payload } = partsOf(auth.token);
    const [jwk] = await published();
    if (!jwk) throw new Error('no published key');
    const publicPem = createPublicKey({ key: { ...jwk }, format: 'jwk' }).export({
      format: 'pem',
      type: 'spki',
    });
    const claims = { ...payload, iat: nowSec(), exp: undefined };
    const confused = [publicPem.toString(), Buffer.from(jwk.x, 'base64url'), JSON.stringify(jwk)].map((key) =>
      createSigner({ key, algorithm: 'HS256', kid: String(header.kid), expiresIn: 3_600_000 })(claims),
    );
    const foreign = generateKeyPairSync('ed25519')
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    const foreignUnderOurKid = createSigner({
      key: foreign,
      algorithm: 'EdDSA',
      kid: String(header.kid),
      expiresIn: 3_600_000,
    })(claims);
    const unknownKid = createSigner({
      key: foreign,
      algorithm: 'EdDSA',
      kid: 'not-ours',
      expiresIn: 3_600_000,
    })(claims);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: header.kid })).toString('base64url')}.${auth.token.split('.')[1]}.`;
    for (const token of [...confused, foreignUnderOurKid, unknownKid, none]) {
      await expect(authenticateSession(t.core, token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });
});
