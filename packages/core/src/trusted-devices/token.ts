import { z } from 'zod';
import type { Core } from '../context.js';
import { hashToken } from '../crypto/token-hash.js';

/** docs/contract.md § Trusted devices: a browser stays trusted 30 days from the second step that trusted it. */
export const TRUSTED_DEVICE_TTL_SECONDS = 30 * 24 * 60 * 60;

/** 256 random bits: the cookie alone lets its holder skip the second factor. */
const TRUSTED_DEVICE_TOKEN_BYTES = 32;
/** Longer than any token this issues: not worth hashing. */
const MAX_TRUSTED_DEVICE_TOKEN_LENGTH = 64;
/** Tells these hashes apart from every other keyed hash made with the token-hash key. */
const TRUSTED_DEVICE_PURPOSE = 'trusted-device';

/** The second step's "trust this browser for 30 days" (docs/contract.md § Trusted devices). */
export const ZTrustDevice = z.boolean().optional();

/**
 * The browser's trusted-device cookie, where the transport has one: the token it presented, if
 * any, and where a new one goes. Another cookie, with another power, than the device cookie of
 * the login throttle (`LoginDevice`): this one lets the password alone log its user in.
 */
export interface TrustedBrowser {
  presentedToken: string | undefined;
  keep(token: string): void;
}

export function newTrustedDeviceToken(core: Core): string {
  return Buffer.from(core.random.bytes(TRUSTED_DEVICE_TOKEN_BYTES)).toString('base64url');
}

/** The stored form of a token; undefined for a value no token could have. */
export function hashTrustedDeviceToken(core: Core, token: string | undefined): string | undefined {
  if (!token || token.length > MAX_TRUSTED_DEVICE_TOKEN_LENGTH) return undefined;
  return hashToken(core.keyring, `${TRUSTED_DEVICE_PURPOSE}:${token}`);
}
