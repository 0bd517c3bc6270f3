import { type Clock, systemClock } from './clock.js';
import { createKeyring, type Keyring } from './crypto/keyring.js';
import { type Argon2Cost, SlowHashQueue, slowHashLimitsFor } from './crypto/slow-hash.js';
import type { MfaRequirement } from './mfa-requirement/policy.js';
import { cryptoRandom, type Random } from './random.js';
import { AnswerTiming } from './reset/answer-timing.js';
import { SigningKeyset } from './session/signing-keys.js';
import type { Store } from './store/store.js';

export interface CoreConfig {
  /** Shown in authenticator apps and emails. */
  issuer: string;
  /** Base URL for links in emails, without a trailing slash; its origin is WebAuthn's expected origin. */
  publicUrl: string;
  /**
   * WebAuthn relying party id: `publicUrl`'s host unless set (a registrable suffix of that host,
   * when the site is on a subdomain and credentials should serve the parent domain too).
   */
  webauthnRpId?: string;
  /**
   * HS256 key earlier versions signed session JWTs with (at least 32 bytes). Sessions are now
   * signed with Ed25519 keys (session/signing-keys.ts); it is kept for the start-up key check.
   */
  jwtSecret: Uint8Array;
  /** Days a session-signing key signs before the next one is made (default 30). */
  signingKeyRotationDays?: number;
  /** AES-256-GCM keys; the first seals, all open (key rotation). */
  encryptionKeys: readonly Uint8Array[];
  /**
   * 32-byte HMAC key for MFA and reset tokens and throttle subjects of unknown names; kept
   * apart from the encryption keys so rotating them voids no live token.
   */
  tokenHashKey: Uint8Array;
  /**
   * Mail goes to the development mailbox (see `isDevMailboxAllowed`): it is queued already
   * settled (`kept`) and never delivered.
   */
  isDevMailboxOn?: boolean;
  /**
   * `REQUIRE_MFA`: a user without a second factor gets a session that can only enrol one
   * (docs/contract.md § Required MFA). Absent: off. See `recordMfaRequirement`.
   */
  requireMfa?: MfaRequirement;
  /** Turning MFA on waits for a verified recovery address (email-verification/require-verified.ts). */
  requireVerifiedRecoveryEmail?: boolean;
}

export interface CoreDeps {
  store: Store;
  config: CoreConfig;
  clock?: Clock;
  random?: Random;
  /**
   * Thread-pool threads argon2 may use at once; the composition root sizes the pool and says
   * how many (default: 3 of libuv's 4, at most one per core).
   */
  slowHashThreads?: number;
  /**
   * TESTS ONLY: a cheaper argon2id for new hashes, so suites that hash thousands of times stay
   * fast. The composition root never sets it; absent, every hash costs `ARGON2_OPTIONS` (OWASP's
   * minimum), and verification always takes the cost written in the stored hash.
   */
  unsafeTestArgon2Cost?: Argon2Cost;
}

/** Everything a core function needs, built once at start and passed explicitly. */
export interface Core {
  /** Every read and write goes through it (store/store.ts). */
  store: Store;
  clock: Clock;
  random: Random;
  config: CoreConfig;
  keyring: Keyring;
  /** The bounded queue every argon2 hash and verification goes through. */
  slowHashes: SlowHashQueue;
  /** The Ed25519 keys session JWTs are signed with, cached from the store. */
  signingKeys: SigningKeyset;
  /** Pads the reset request's paths that write nothing to the one that writes (reset/answer-timing.ts). */
  resetAnswerTiming: AnswerTiming;
  /** The same for the forgotten-password request (password-reset/request.ts): its own write's durations. */
  passwordResetAnswerTiming: AnswerTiming;
}

/** Facts about the request that the domain records (never secrets). */
export interface RequestMeta {
  clientAddress: string;
  /** The `User-Agent` header, shown in the user's session list (docs/contract.md § Sessions). */
  userAgent?: string | undefined;
  /** The admin key of an operator's request (docs/contract.md § Administration), named in its events. */
  adminKeyId?: string;
}

const MIN_JWT_SECRET_BYTES = 32;

export function createCore(deps: CoreDeps): Core {
  if (deps.config.jwtSecret.length < MIN_JWT_SECRET_BYTES) {
    throw new Error(`jwtSecret must be at least ${MIN_JWT_SECRET_BYTES} bytes`);
  }
  const random = deps.random ?? cryptoRandom;
  const clock = deps.clock ?? systemClock;
  const keyring = createKeyring(deps.config.encryptionKeys, deps.config.tokenHashKey);
  return {
    store: deps.store,
    clock,
    random,
    config: { ...deps.config, publicUrl: deps.config.publicUrl.replace(/\/+$/, '') },
    keyring,
    signingKeys: new SigningKeyset(deps.store, keyring, clock, deps.config.signingKeyRotationDays),
    slowHashes: new SlowHashQueue(slowHashLimitsFor(deps.slowHashThreads), deps.unsafeTestArgon2Cost),
    resetAnswerTiming: new AnswerTiming(random),
    passwordResetAnswerTiming: new AnswerTiming(random),
  };
}
