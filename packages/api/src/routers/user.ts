import {
  listSecurityEvents,
  reauthenticate,
  updateUser,
  ZReauthInput,
  ZSecurityEventList,
  ZUpdateUserInput,
  ZUpdateUserResult,
  ZUserAuth,
} from '@twofold/core';
import { protectedProcedure, router } from '../trpc/init.js';
import { ZNoInput } from '../trpc/no-input.js';
import { sessionsRouter } from './sessions.js';

export const userRouter = router({
  update: protectedProcedure
    .input(ZUpdateUserInput)
    .output(ZUpdateUserResult)
    .mutation(({ ctx, input }) => updateUser(ctx.core, ctx.session, input, ctx.meta)),

  /** Proves the password (and a TOTP code with MFA on) again: a fresh token for this session. */
  reauth: protectedProcedure
    .input(ZReauthInput)
    .output(ZUserAuth)
    .mutation(({ ctx, input }) => reauthenticate(ctx.core, ctx.session, input, ctx.meta)),

  securityEvents: protectedProcedure
    .input(ZNoInput)
    .output(ZSecurityEventList)
    .query(({ ctx }) => listSecurityEvents(ctx.core, ctx.user.id)),

  sessions: sessionsRouter,
});
