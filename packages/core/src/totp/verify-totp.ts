import { verifySync } from '@otplib/totp';
import { createGuardrails } from 'otplib';
import { TOTP_DIGITS, TOTP_PERIOD_SECONDS, TOTP_WINDOW_STEPS } from './constants.js';
import { type TotpDigits, timeStepAt } from './generate-code.js';
import { OTP_PLUGINS } from './plugins.js';

export interface VerifyTotpInput {
  /** Base32 secret; undefined (a stored secret that did not open) matches no code. */
  secret: string | undefined;
  code: string;
  epochMs: number;
  /** The last step already accepted for this user: codes at or before it are replays. */
  lastTimeStep?: number;
  digits?: TotpDigits;
}

export type VerifyTotpResult =
  | { isValid: true; timeStep: number }
  | { isValid: false; reason: 'invalid' | 'replayed' };

/**
 * otplib's TOTP package directly, with guardrails made once: its functional wrapper
 * (`otplib/functional`) re-normalizes the options and builds guardrails on every call,
 * which cost more than the HMACs.
 */
const GUARDRAILS = createGuardrails();

/**
 * The secret's bytes, decoded once per check: given the base32 text, otplib decodes it again
 * for every step it tries (three or four times a check). Undefined: not base32, matches nothing.
 */
function secretBytes(secret: string): Uint8Array | undefined {
  try {
    return OTP_PLUGINS.base32.decode(secret);
  } catch {
    return undefined;
  }
}

function matchStep(
  secret: Uint8Array,
  input: VerifyTotpInput,
  afterTimeStep: number | undefined,
): number | undefined {
  try {
    // Synchronous (node:crypto's HMAC): the caller verifies inside its write transaction.
    const result = verifySync({
      secret,
      token: input.code,
      epoch: Math.floor(input.epochMs / 1000),
      period: TOTP_PERIOD_SECONDS,
      digits: input.digits ?? TOTP_DIGITS,
      algorithm: 'sha1',
      epochTolerance: TOTP_WINDOW_STEPS * TOTP_PERIOD_SECONDS,
      ...(afterTimeStep === undefined ? {} : { afterTimeStep }),
      guardrails: GUARDRAILS,
      ...OTP_PLUGINS,
    });
    return result.valid && 'timeStep' in result ? result.timeStep : undefined;
  } catch {
    // Malformed codes (wrong length, not digits) are simply wrong.
    return undefined;
  }
}

/**
 * RFC 6238 check of `code` against the previous, current and next step (constant-time
 * comparison inside otplib). Returns the matched step so the caller can record it.
 */
export function verifyTotp(input: VerifyTotpInput): VerifyTotpResult {
  const secret = input.secret === undefined ? undefined : secretBytes(input.secret);
  if (secret === undefined) return { isValid: false, reason: 'invalid' };
  const currentStep = timeStepAt(input.epochMs);
  const last = input.lastTimeStep;
  const isWholeWindowUsed = last !== undefined && last >= currentStep + TOTP_WINDOW_STEPS;
  const fresh = isWholeWindowUsed ? undefined : matchStep(secret, input, last);
  if (fresh !== undefined) return { isValid: true, timeStep: fresh };
  if (last === undefined) return { isValid: false, reason: 'invalid' };
  // Only to tell a replay from a wrong code; either is refused.
  const any = matchStep(secret, input, undefined);
  return { isValid: false, reason: any === undefined ? 'invalid' : 'replayed' };
}
