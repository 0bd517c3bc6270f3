import {
  recoveryCodesStatus,
  regenerateRecoveryCodes,
  ZRecoveryCodesStatus,
  ZRegenerateRecoveryCodesResult,
} from '@twofold/core';
import { protectedProcedure, router } from '../trpc/init.js';
import { ZNoInput } from '../trpc/no-input.js';

/** `mfa.recoveryCodes.*`: how many are left, and a new set (docs/contract.md § Recovery codes). */
export const recoveryCodesRouter = router({
  status: protectedProcedure
    .input(ZNoInput)
    .output(ZRecoveryCodesStatus)
    .query(({ ctx }) => recoveryCodesStatus(ctx.core, ctx.user.id)),

  regenerate: protectedProcedure
    .input(ZNoInput)
    .output(ZRegenerateRecoveryCodesResult)
    .mutation(({ ctx }) => regenerateRecoveryCodes(ctx.core, ctx.session, ctx.meta)),
});
