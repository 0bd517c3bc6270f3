import type { Clock } from '@twofold/core';
import { totpAt as coreTotpAt, type ManualClock } from '@twofold/core/testing';

/** RFC 6238 period (docs/contract.md: 30 s). */
export const TOTP_PERIOD_SECONDS = 30;

/** The code an authenticator app shows at `epochMs`, `stepOffset` periods later or earlier. */
export function totpAt(secret: string, epochMs: number, stepOffset = 0): Promise<string> {
  return coreTotpAt(secret, epochMs + stepOffset * TOTP_PERIOD_SECONDS * 1000);
}

/** The current code of `secret` by the server's clock. */
export function codeNow(secret: string, clock: Clock): Promise<string> {
  return totpAt(secret, clock.now());
}

/** Moves to the next time step (replay protection refuses a step twice) and returns its code. */
export function nextCode(secret: string, clock: ManualClock): Promise<string> {
  clock.advanceSeconds(TOTP_PERIOD_SECONDS);
  return codeNow(secret, clock);
}

/** A 6-digit code that is not the one at any of the three accepted steps around `epochMs`. */
export async function wrongTotpAt(secret: string, epochMs: number): Promise<string> {
  const accepted = new Set(await Promise.all([-1, 0, 1].map((offset) => totpAt(secret, epochMs, offset))));
  for (let n = 0; ; n += 1) {
    const candidate = String(n).padStart(6, '0');
    if (!accepted.has(candidate)) return candidate;
  }
}

/** RFC 4648 base32 decode (no padding), written here so the tests do not trust the code under test. */
export function decodeBase32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
