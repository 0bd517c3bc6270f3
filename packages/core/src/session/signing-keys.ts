import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Keyring } from '../crypto/keyring.js';
import { open, seal } from '../crypto/seal.js';
import type { SigningKeyRow } from '../store/repositories/signing-keys.js';
import type { Store } from '../store/store.js';

/**
 * docs/contract.md § Sessions other services verify: session JWTs are signed with Ed25519
 * (EdDSA, RFC 8037), and the public keys are published as a JWK set. A key is published from
 * its creation and signs only `PUBLISH_LEAD_MS` later, so every relying service that refreshes
 * its copy of the set within that time knows it before the first token it signs.
 */
export const SIGNING_ALGORITHM = 'EdDSA';
export const PUBLISH_LEAD_MS = 10 * 60 * 1000;
/** A key signs this long before the next one is made (`SIGNING_KEY_ROTATION_DAYS`). */
export const DEFAULT_ROTATION_DAYS = 30;
/** How long a relying service may cache the JWK set (Cache-Control), well within the lead. */
export const JWKS_MAX_AGE_SECONDS = 5 * 60;
/** Instances reread the keys this often, so one started before a rotation learns the new key in time. */
const RELOAD_AFTER_MS = 60 * 1000;
/** An unknown `kid` rereads the keys at most this often (a flood of made-up kids costs one read). */
const UNKNOWN_KID_RELOAD_MS = 5 * 1000;

/** A public key as the JWK set shows it (RFC 7517, RFC 8037 § 2). */
export interface PublicSigningJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: typeof SIGNING_ALGORITHM;
  use: 'sig';
}

export interface SigningKey {
  kid: string;
  algorithm: typeof SIGNING_ALGORITHM;
  jwk: PublicSigningJwk;
  publicKey: KeyObject;
  privateKey: KeyObject;
  createdAtMs: number;
  activatesAtMs: number;
}

/** RFC 7638 § 3.2: the thumbprint of an OKP key hashes its required members in order. */
function thumbprintOf(x: string): string {
  return createHash('sha256')
    .update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x }))
    .digest('base64url');
}

function newKeyRow(keyring: Keyring, nowMs: number, activatesAtMs: number): SigningKeyRow {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const { x } = publicKey.export({ format: 'jwk' });
  if (typeof x !== 'string') throw new Error('Ed25519 public key without x');
  const kid = thumbprintOf(x);
  const jwk: PublicSigningJwk = { kty: 'OKP', crv: 'Ed25519', x, kid, alg: SIGNING_ALGORITHM, use: 'sig' };
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const sealed = seal(keyring, pem, { purpose: 'signing-key', kid });
  return {
    kid,
    algorithm: SIGNING_ALGORITHM,
    publicJwk: JSON.stringify(jwk),
    privateKeySealed: sealed.ciphertext,
    privateKeyKeyId: sealed.keyId,
    createdAtMs: nowMs,
    activatesAtMs,
  };
}

function toSigningKey(keyring: Keyring, row: SigningKeyRow): SigningKey {
  // A row of another algorithm is never trusted for ours: each kid pins its algorithm.
  if (row.algorithm !== SIGNING_ALGORITHM) throw new Error(`signing key ${row.kid} has unknown algorithm`);
  const jwk = JSON.parse(row.publicJwk) as PublicSigningJwk;
  const pem = open(
    keyring,
    { ciphertext: row.privateKeySealed, keyId: row.privateKeyKeyId },
    {
      purpose: 'signing-key',
      kid: row.kid,
    },
  );
  return {
    kid: row.kid,
    algorithm: SIGNING_ALGORITHM,
    jwk,
    publicKey: createPublicKey({ key: { ...jwk }, format: 'jwk' }),
    privateKey: createPrivateKey(pem),
    createdAtMs: row.createdAtMs,
    activatesAtMs: row.activatesAtMs,
  };
}

/**
 * The signing keys, read from the store (shared by every instance on one database) and kept
 * in memory: signing and verifying read no row, except the reread once a minute and for a
 * `kid` not seen yet. The first signature ever creates the first key, signing at once.
 */
export class SigningKeyset {
  private keys: SigningKey[] = [];
  private byKid = new Map<string, SigningKey>();
  private loadedAtMs = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;

  private rotating: Promise<unknown> | undefined;
  private readonly rotationMs: number;

  constructor(
    private readonly store: Store,
    private readonly keyring: Keyring,
    private readonly clock: Clock,
    rotationDays = DEFAULT_ROTATION_DAYS,
  ) {
    this.rotationMs = rotationDays * 24 * 60 * 60 * 1000;
  }

  /**
   * The key that signs now: the newest whose activation has come. When the newest key is
   * older than the rotation period, a new one is made first (it signs after the lead), so
   * keys rotate without a timer, on the first login after they age.
   */
  async signing(): Promise<SigningKey> {
    await this.reloadIfOlderThan(RELOAD_AFTER_MS);
    const newest = this.keys.at(-1);
    if (newest && this.clock.now() - newest.createdAtMs >= this.rotationMs) {
      this.rotating ??= this.rotate().finally(() => {
        this.rotating = undefined;
      });
      await this.rotating;
    }
    const current = this.active();
    if (current) return current;
    // No key yet: the first one signs at once, as no relying service can have tokens to check.
    await this.store.transaction(async (tx) => {
      if ((await tx.signingKeys.findAll()).length > 0) return;
      const nowMs = this.clock.now();
      await tx.signingKeys.insert(newKeyRow(this.keyring, nowMs, nowMs));
    });
    await this.reloadAfterWrite();
    const created = this.active();
    if (!created) throw new Error('no active signing key after creating one');
    return created;
  }

  /** The key a token names, or undefined; an unknown kid rereads the keys (rarely, see above). */
  async verifying(kid: string): Promise<SigningKey | undefined> {
    const known = this.byKid.get(kid);
    if (known) return known;
    await this.reloadIfOlderThan(UNKNOWN_KID_RELOAD_MS);
    return this.byKid.get(kid);
  }

  /**
   * The public keys a relying service may meet in a live token: every key not yet signing,
   * the one signing, and earlier ones until the tokens they signed have expired.
   */
  async published(tokenTtlMs: number): Promise<PublicSigningJwk[]> {
    await this.reloadIfOlderThan(RELOAD_AFTER_MS);
    const nowMs = this.clock.now();
    return this.keys
      .filter((_key, i) => {
        const successor = this.keys.slice(i + 1).find((next) => next.activatesAtMs <= nowMs);
        return successor === undefined || successor.activatesAtMs + tokenTtlMs > nowMs;
      })
      .map((key) => key.jwk);
  }

  /** Adds a key that signs once relying services have had time to fetch it. */
  async rotate(): Promise<SigningKey> {
    const nowMs = this.clock.now();
    const row = newKeyRow(this.keyring, nowMs, nowMs + PUBLISH_LEAD_MS);
    await this.store.transaction((tx) => tx.signingKeys.insert(row));
    await this.reloadAfterWrite();
    const added = this.byKid.get(row.kid);
    if (!added) throw new Error('rotated key missing after reload');
    return added;
  }

  private active(): SigningKey | undefined {
    const nowMs = this.clock.now();
    return this.keys.findLast((key) => key.activatesAtMs <= nowMs);
  }

  private reloadIfOlderThan(ageMs: number): Promise<void> {
    return this.clock.now() - this.loadedAtMs < ageMs ? Promise.resolve() : this.reload();
  }

  /** A read already under way may predate the write: wait for it, then read again. */
  private async reloadAfterWrite(): Promise<void> {
    await this.loading?.catch(() => undefined);
    await this.reload();
  }

  /** Rereads every key; concurrent callers share one read. */
  private reload(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const rows = await this.store.signingKeys.findAll();
        const keys = rows.map((row) => this.byKid.get(row.kid) ?? toSigningKey(this.keyring, row));
        this.keys = keys;
        this.byKid = new Map(keys.map((key) => [key.kid, key]));
        this.loadedAtMs = this.clock.now();
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}
