import { ScureBase32Plugin } from '@otplib/plugin-base32-scure';
import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node';
import { generate } from 'otplib';

const crypto = new NodeCryptoPlugin();
const base32 = new ScureBase32Plugin();

/** RFC 6238 period (docs/contract.md: 30 s). */
export const TOTP_PERIOD_SECONDS = 30;

/** The code an authenticator app shows at `epochMs`, `stepOffset` periods later or earlier. */
export function totpAt(secret: string, epochMs: number, stepOffset = 0): Promise<string> {
  return generate({
    secret,
    epoch: Math.floor(epochMs / 1000) + stepOffset * TOTP_PERIOD_SECONDS,
    crypto,
    base32,
  });
}

/** A 6-digit code that is not the one at any of the three accepted steps around `epochMs`. */
export async function wrongTotpAt(secret: string, epochMs: number): Promise<string> {
  const accepted = new Set(await Promise.all([-1, 0, 1].map((offset) => totpAt(secret, epochMs, offset))));
  for (let n = 0; ; n += 1) {
    const candidate = String(n).padStart(6, '0');
    if (!accepted.has(candidate)) return candidate;
  }
}
