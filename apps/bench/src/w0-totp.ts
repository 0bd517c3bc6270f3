import { randomBytes, timingSafeEqual } from 'node:crypto';
import { verifyTotp } from '@twofold/core';
import { decodeBase32, encodeBase32, timeStepAt, totpCodeAt } from './totp-code.js';

export interface W0Result {
  iterations: number;
  /** Our core `verifyTotp` (otplib 13 `verifySync` + node crypto plugin), a valid current code, ±1 step window. */
  twofoldVerifyPerSecond: number;
  /** The same check by hand: three HMAC-SHA1 (previous, current, next step) + truncation + constant-time compare. */
  bareVerifyPerSecond: number;
  /** One HMAC-SHA1 of an 8-byte counter: the floor under any TOTP check. */
  bareHmacPerSecond: number;
}

const WINDOW_STEPS = [-1, 0, 1] as const;

function bareVerify(key: Buffer, code: string, epochMs: number): boolean {
  const step = timeStepAt(epochMs);
  const given = Buffer.from(code);
  let isMatch = false;
  for (const offset of WINDOW_STEPS) {
    // No early exit: the time taken does not depend on which step matched.
    isMatch = timingSafeEqual(Buffer.from(totpCodeAt(key, step + offset)), given) || isMatch;
  }
  return isMatch;
}

const JIT_WARMUP_ITERATIONS = 2_000;

function perSecondSync(iterations: number, fn: () => unknown): number {
  for (let i = 0; i < Math.min(iterations, JIT_WARMUP_ITERATIONS); i++) fn();
  const started = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return iterations / ((performance.now() - started) / 1000);
}

/** W0: TOTP verifications per second in process, ours against a bare node:crypto loop. */
export function runW0(iterations: number): W0Result {
  const secret = encodeBase32(randomBytes(20));
  const key = decodeBase32(secret);
  const epochMs = Date.now();
  const code = totpCodeAt(key, timeStepAt(epochMs));
  const ours = verifyTotp({ secret, code, epochMs });
  if (!ours.isValid || !bareVerify(key, code, epochMs)) throw new Error('W0: the verifications disagree');
  const counter = Buffer.alloc(8);
  return {
    iterations,
    twofoldVerifyPerSecond: perSecondSync(iterations, () => verifyTotp({ secret, code, epochMs })),
    bareVerifyPerSecond: perSecondSync(iterations, () => bareVerify(key, code, epochMs)),
    bareHmacPerSecond: perSecondSync(iterations, () => totpCodeAt(key, counter.readUInt32BE(4))),
  };
}
