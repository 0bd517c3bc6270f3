import { base32 } from '@otplib/plugin-base32-scure';

/** RFC 4648 base32 without padding. */
export function encodeBase32(bytes: Uint8Array): string {
  return base32.encode(bytes, { padding: false });
}
