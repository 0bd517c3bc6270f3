import { createHmac } from 'node:crypto';
import type { Keyring } from './keyring.js';

/**
 * Keyed fast hash for tokens of 122+ bits (MFA token, reset token): brute force is
 * hopeless at that entropy, so a slow KDF would only cost latency (CONTRACT.md).
 */
export function hashToken(keyring: Keyring, token: string): string {
  return createHmac('sha256', keyring.tokenHashKey).update(token).digest('base64url');
}
