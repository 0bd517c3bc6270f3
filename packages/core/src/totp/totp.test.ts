import { describe, expect, it } from 'vitest';
import { encodeBase32 } from '../crypto/base32.js';
import { cryptoRandom } from '../random.js';
import { generateTotpCode } from './generate-code.js';
import { generateTotpSecret } from './generate-secret.js';
import { buildKeyUri } from './key-uri.js';
import { verifyTotp } from './verify-totp.js';

/** RFC 6238 Appendix B, SHA-1 rows: the seed is the ASCII string "12345678901234567890". */
const RFC_SECRET = encodeBase32(new TextEncoder().encode('12345678901234567890'));
const RFC_VECTORS: [seconds: number, code: string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238, SHA-1, 30 s)', () => {
  it.each(RFC_VECTORS)('at %i s gives the RFC 8-digit code %s', async (seconds, code) => {
    await expect(generateTotpCode(RFC_SECRET, seconds * 1000, 8)).resolves.toBe(code);
    const result = verifyTotp({ secret: RFC_SECRET, code, epochMs: seconds * 1000, digits: 8 });
    expect(result).toEqual({ isValid: true, timeStep: Math.floor(seconds / 30) });
  });

  it.each(RFC_VECTORS)('at %i s gives the 6-digit truncation of %s', async (seconds, code) => {
    // RFC 4226 §5.3: the code is the dynamic truncation mod 10^digits, so 6 digits are the last 6.
    await expect(generateTotpCode(RFC_SECRET, seconds * 1000)).resolves.toBe(code.slice(-6));
    expect(verifyTotp({ secret: RFC_SECRET, code: code.slice(-6), epochMs: seconds * 1000 })).toMatchObject({
      isValid: true,
    });
  });

  it('accepts the previous, current and next step and reports which one matched', async () => {
    const now = 1_700_000_000_000;
    const step = Math.floor(now / 30_000);
    for (const offset of [-1, 0, 1]) {
      const code = await generateTotpCode(RFC_SECRET, now + offset * 30_000);
      expect(verifyTotp({ secret: RFC_SECRET, code, epochMs: now })).toEqual({
        isValid: true,
        timeStep: step + offset,
      });
    }
    for (const offset of [-2, 2]) {
      const code = await generateTotpCode(RFC_SECRET, now + offset * 30_000);
      expect(verifyTotp({ secret: RFC_SECRET, code, epochMs: now })).toMatchObject({
        isValid: false,
      });
    }
  });

  it('refuses a code whose step is at or before the last accepted step, as a replay', async () => {
    const now = 1_700_000_000_000;
    const step = Math.floor(now / 30_000);
    const current = await generateTotpCode(RFC_SECRET, now);
    const next = await generateTotpCode(RFC_SECRET, now + 30_000);
    expect(verifyTotp({ secret: RFC_SECRET, code: current, epochMs: now, lastTimeStep: step })).toEqual({
      isValid: false,
      reason: 'replayed',
    });
    expect(verifyTotp({ secret: RFC_SECRET, code: next, epochMs: now, lastTimeStep: step })).toEqual({
      isValid: true,
      timeStep: step + 1,
    });
    // Every step of the window already used (a clock that went back): nothing is accepted.
    expect(verifyTotp({ secret: RFC_SECRET, code: next, epochMs: now, lastTimeStep: step + 5 })).toEqual({
      isValid: false,
      reason: 'replayed',
    });
  });

  it('treats malformed codes as wrong rather than failing', async () => {
    for (const code of ['', '12345', '1234567', 'abcdef', '12 456']) {
      expect(verifyTotp({ secret: RFC_SECRET, code, epochMs: 0 })).toEqual({
        isValid: false,
        reason: 'invalid',
      });
    }
  });

  it('generates 160-bit base32 secrets', () => {
    const secret = generateTotpSecret(cryptoRandom);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(generateTotpSecret(cryptoRandom)).not.toBe(secret);
  });

  it('builds the Key URI with a percent-encoded issuer and label', () => {
    expect(buildKeyUri({ issuer: 'Acme Co', username: 'a@b.test', secret: 'JBSWY3DPEHPK3PXP' })).toBe(
      'otpauth://totp/Acme%20Co:a%40b.test?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Co&algorithm=SHA1&digits=6&period=30',
    );
  });
});
