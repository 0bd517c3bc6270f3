import { createHmac, hkdfSync } from 'node:crypto';
import type { Keyring } from './keyring.js';

/**
 * Keyed fast hash for tokens of 122+ bits (MFA token, reset token): brute force is
 * hopeless at that entropy, so a slow KDF would only cost latency (docs/contract.md).
 */
export function hashToken(keyring: Keyring, token: string): string {
  return createHmac('sha256', keyring.tokenHashKey).update(token).digest('base64url');
}

/**
 * The token-hash key as it used to be derived from the active encryption key. A deployment
 * takes it as the first value of its own token-hash key, so tokens hashed before the
 * upgrade (live MFA tokens, reset requests, throttle subjects of unknown names) still match.
 */
export function deriveTokenHashKey(encryptionKey: Uint8Array): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', encryptionKey, new Uint8Array(0), 'twofold token hash', 32));
}
