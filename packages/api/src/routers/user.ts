import {
  listSecurityEvents,
  updateUser,
  ZSecurityEventList,
  ZUpdateUserInput,
  ZUserProfile,
} from '@twofold/core';
import { protectedProcedure, router } from '../trpc/init.js';
import { ZNoInput } from '../trpc/no-input.js';

export const userRouter = router({
  update: protectedProcedure
    .input(ZUpdateUserInput)
    .output(ZUserProfile)
    .mutation(({ ctx, input }) => updateUser(ctx.core, ctx.user, input, ctx.meta)),

  securityEvents: protectedProcedure
    .input(ZNoInput)
    .output(ZSecurityEventList)
    .query(({ ctx }) => listSecurityEvents(ctx.core, ctx.user.id)),
});
