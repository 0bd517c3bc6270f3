import {
  browserSupportsWebAuthn,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  startRegistration,
} from '@simplewebauthn/browser';
import { ClientFailure, type RouterInputs, type RouterOutputs } from './trpc.js';

type CreationOptions = RouterOutputs['mfa']['webauthn']['registrationOptions']['options'];
type RequestOptions = RouterOutputs['mfa']['webauthn']['loginOptions']['options'];
type RegistrationResponse = RouterInputs['mfa']['webauthn']['register']['response'];
type AuthenticationResponse = RouterInputs['mfa']['webauthn']['login']['response'];

/**
 * The browser's errors as a person can act on them. The spec answers NotAllowedError both for a
 * dismissed prompt and for a timeout, on purpose (a page must not learn which keys exist), so
 * one message covers both.
 */
function ceremonyFailureOf(error: unknown): ClientFailure {
  const name = error instanceof Error ? error.name : '';
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (name === 'NotAllowedError' || name === 'AbortError' || code === 'ERROR_CEREMONY_ABORTED') {
    return new ClientFailure(
      'The security key request was cancelled or timed out. Try again when your key or passkey is ready.',
      'WEBAUTHN_CANCELLED',
    );
  }
  if (name === 'InvalidStateError' || code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') {
    return new ClientFailure(
      'This security key is already registered to your account.',
      'WEBAUTHN_ALREADY_REGISTERED',
    );
  }
  if (name === 'SecurityError' || code === 'ERROR_INVALID_DOMAIN' || code === 'ERROR_INVALID_RP_ID') {
    return new ClientFailure(
      "Security keys work only at this service's own address. Open Twofold at its public address and try again.",
      'WEBAUTHN_WRONG_ADDRESS',
    );
  }
  if (name === 'NotSupportedError') {
    return new ClientFailure(
      'No security key or passkey here supports what Twofold asks for.',
      'WEBAUTHN_UNSUPPORTED',
    );
  }
  return new ClientFailure('The security key could not be used. Try again.', 'WEBAUTHN_FAILED');
}

function assertSupported(): void {
  if (!browserSupportsWebAuthn()) {
    throw new ClientFailure(
      'This browser does not support security keys or passkeys.',
      'WEBAUTHN_UNSUPPORTED',
    );
  }
}

/**
 * `navigator.credentials.create()` with the server's options. The server's zod schema is a
 * loose subset of the library's JSON type; the library checks the rest.
 */
export async function createCredential(options: CreationOptions): Promise<RegistrationResponse> {
  assertSupported();
  try {
    const credential = await startRegistration({
      optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON,
    });
    return {
      ...credential,
      response: { ...credential.response },
      clientExtensionResults: { ...credential.clientExtensionResults },
    };
  } catch (error) {
    throw ceremonyFailureOf(error);
  }
}

/** `navigator.credentials.get()` with the server's options. */
export async function getAssertion(options: RequestOptions): Promise<AuthenticationResponse> {
  assertSupported();
  try {
    const credential = await startAuthentication({
      optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON,
    });
    // The library's interfaces as the plain objects the router's input type describes.
    return {
      ...credential,
      response: { ...credential.response },
      clientExtensionResults: { ...credential.clientExtensionResults },
    };
  } catch (error) {
    throw ceremonyFailureOf(error);
  }
}
