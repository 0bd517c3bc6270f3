import { z } from 'zod';
import type { Core } from '../context.js';
import { isMfaEnabled } from '../mfa/factors.js';
import { findUnusedRecoveryCodes } from './find-unused.js';

/** docs/contract.md § Recovery codes: at this many unused codes the owner is told to renew them. */
export const RECOVERY_CODES_LOW = 2;

export const ZRecoveryCodesStatus = z.object({
  /** Unused recovery codes (0 while MFA is off). */
  unused: z.number().int(),
  /** True at RECOVERY_CODES_LOW or fewer while MFA is on: time to regenerate. */
  low: z.boolean(),
});
export type TRecoveryCodesStatus = z.infer<typeof ZRecoveryCodesStatus>;

export function isRecoveryCodesLow(unused: number): boolean {
  return unused <= RECOVERY_CODES_LOW;
}

export async function recoveryCodesStatus(core: Core, userId: string): Promise<TRecoveryCodesStatus> {
  if (!(await isMfaEnabled(core.store, userId))) return { unused: 0, low: false };
  const unused = (await findUnusedRecoveryCodes(core.store, userId)).length;
  return { unused, low: isRecoveryCodesLow(unused) };
}
