import { generate } from 'otplib/functional';
import { TOTP_DIGITS, TOTP_PERIOD_SECONDS } from './constants.js';
import { OTP_PLUGINS } from './plugins.js';

export type TotpDigits = 6 | 7 | 8;

/** The RFC 6238 code of `secret` (base32) at `epochMs`; SHA-1, 30 s steps. */
export function generateTotpCode(secret: string, epochMs: number, digits: TotpDigits = TOTP_DIGITS) {
  return generate({
    secret,
    epoch: Math.floor(epochMs / 1000),
    period: TOTP_PERIOD_SECONDS,
    digits,
    algorithm: 'sha1',
    ...OTP_PLUGINS,
  });
}

/** The RFC 6238 time step T = floor(unix seconds / 30). */
export function timeStepAt(epochMs: number): number {
  return Math.floor(Math.floor(epochMs / 1000) / TOTP_PERIOD_SECONDS);
}
