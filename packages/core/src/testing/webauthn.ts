import {
  AuthenticatorEmulator,
  PasskeysCredentialsMemoryRepository,
  RpId,
  WebAuthnEmulator,
} from 'nid-webauthn-emulator';
import type { Core } from '../context.js';
import { registerWebAuthnCredential } from '../webauthn/register.js';
import { startWebAuthnRegistration } from '../webauthn/registration-options.js';
import {
  type TAuthenticationResponse,
  type TRegistrationResponse,
  ZAuthenticationResponse,
  ZRegistrationResponse,
} from '../webauthn/schemas.js';
import { TEST_META } from './factories.js';
import { freshSession } from './fresh-session.js';
import { withRecoveryEmail } from './recovery-email.js';

/** The origin of `createTestConfig`'s PUBLIC_URL: where the test browser runs. */
export const TEST_ORIGIN = 'http://localhost:3000';

export interface TestAuthenticatorOptions {
  /** Whether the user verifies (PIN, biometrics) on each use; default true. */
  isUserVerified?: boolean;
  /** Added to the signature counter per assertion; 0 behaves like a synced passkey. Default 1. */
  signCounterIncrement?: number;
}

type Options = { challenge: string } & Record<string, unknown>;

/**
 * A software authenticator behind an emulated `navigator.credentials` (nid-webauthn-emulator):
 * real keys, real signatures, its own credential store and counters.
 */
export class TestAuthenticator {
  private readonly emulator: WebAuthnEmulator;

  constructor(
    private readonly options: TestAuthenticatorOptions = {},
    readonly repository = new PasskeysCredentialsMemoryRepository(),
  ) {
    const interaction = () => ({ options: { uv: options.isUserVerified ?? true, up: true } });
    this.emulator = new WebAuthnEmulator(
      new AuthenticatorEmulator({
        algorithmIdentifiers: ['ES256'],
        credentialsRepository: repository,
        signCounterIncrement: options.signCounterIncrement ?? 1,
        verifications: { userPresent: true, userVerified: options.isUserVerified ?? true },
        userMakeCredentialInteraction: interaction,
        userGetAssertionInteraction: interaction,
      }),
    );
  }

  /** `navigator.credentials.create()` at `origin`; the origin is trusted for any RP ID when `origin` is given. */
  create(options: Options, origin = TEST_ORIGIN): TRegistrationResponse {
    const json = this.emulator.createJSON(origin, options as never, [origin]);
    return ZRegistrationResponse.parse(json);
  }

  /** `navigator.credentials.get()` at `origin`. */
  get(options: Options, origin = TEST_ORIGIN): TAuthenticationResponse {
    const json = this.emulator.getJSON(origin, options as never, [origin]);
    return ZAuthenticationResponse.parse(json);
  }

  /** Another device holding copies of these keys at their current counters (a cloned authenticator). */
  clone(overrides: TestAuthenticatorOptions = {}): TestAuthenticator {
    const copy = new PasskeysCredentialsMemoryRepository();
    for (const credential of this.repository.loadCredentials()) copy.saveCredential(credential);
    return new TestAuthenticator({ ...this.options, ...overrides }, copy);
  }

  /** The same keys, scoped by the authenticator to another RP ID (what a phishing site would ask for). */
  forRpId(rpId: string): TestAuthenticator {
    const copy = new PasskeysCredentialsMemoryRepository();
    for (const credential of this.repository.loadCredentials()) {
      copy.saveCredential({
        ...credential,
        publicKeyCredentialSource: { ...credential.publicKeyCredentialSource, rpId: new RpId(rpId) },
      });
    }
    return new TestAuthenticator(this.options, copy);
  }
}

/**
 * Registers a credential of `authenticator` for the user through the real options → create →
 * register, in a fresh session, setting a recovery email first when the user has none (a
 * first factor needs one). Returns what register returned (recovery codes for a first factor).
 */
export async function registerTestCredential(
  core: Core,
  account: { id: string },
  authenticator: TestAuthenticator,
  input: { name?: string; passwordless?: boolean } = {},
) {
  const user = await withRecoveryEmail(core, account.id);
  const { options } = await startWebAuthnRegistration(core, freshSession(core, user));
  const response = authenticator.create(options);
  return registerWebAuthnCredential(
    core,
    freshSession(core, user),
    { name: input.name ?? 'Test key', passwordless: input.passwordless ?? false, response },
    TEST_META,
  );
}
