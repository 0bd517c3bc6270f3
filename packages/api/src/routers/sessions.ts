import {
  endOtherSessions,
  endSession,
  listSessions,
  ZEndOtherSessionsResult,
  ZEndSessionInput,
  ZSessionList,
} from '@twofold/core';
import { z } from 'zod';
import { protectedProcedure, router } from '../trpc/init.js';
import { ZNoInput } from '../trpc/no-input.js';

/** `user.sessions.*`: the user's sessions, and ending them (docs/contract.md § Sessions). */
export const sessionsRouter = router({
  list: protectedProcedure
    .input(ZNoInput)
    .output(ZSessionList)
    .query(({ ctx }) => listSessions(ctx.core, { id: ctx.session.id, userId: ctx.user.id })),

  end: protectedProcedure
    .input(ZEndSessionInput)
    .output(z.void())
    .mutation(({ ctx, input }) => endSession(ctx.core, ctx.session, input, ctx.meta)),

  endOthers: protectedProcedure
    .input(ZNoInput)
    .output(ZEndOtherSessionsResult)
    .mutation(({ ctx }) => endOtherSessions(ctx.core, ctx.session, ctx.meta)),
});
