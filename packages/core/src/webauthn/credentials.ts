import type { AuthenticatorTransport } from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { WebAuthnCredential } from '../store/repositories/webauthn-credentials.js';
import type { TWebAuthnCredentialSummary } from './schemas.js';

/** The WebAuthn user handle: the user's id (a UUID, no personal data), as UTF-8 bytes. */
export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId, 'utf8'));
}

/** The user handle as a response carries it (base64url). */
export function encodedUserHandleOf(userId: string): string {
  return isoBase64URL.fromBuffer(userHandleOf(userId));
}

export function transportsOf(credential: WebAuthnCredential): AuthenticatorTransport[] {
  try {
    const parsed: unknown = JSON.parse(credential.transports);
    return Array.isArray(parsed)
      ? (parsed.filter((t) => typeof t === 'string') as AuthenticatorTransport[])
      : [];
  } catch {
    return [];
  }
}

/** How a credential is named to its descriptor lists (allow and exclude). */
export function descriptorOf(credential: WebAuthnCredential): {
  id: string;
  transports: AuthenticatorTransport[];
} {
  return { id: credential.credentialId, transports: transportsOf(credential) };
}

export function summaryOf(credential: WebAuthnCredential): TWebAuthnCredentialSummary {
  return {
    id: credential.id,
    name: credential.name,
    passwordless: credential.isPasswordlessAllowed,
    backedUp: credential.isBackedUp,
    createdAtMs: credential.createdAtMs,
    lastUsedAtMs: credential.lastUsedAtMs,
  };
}
