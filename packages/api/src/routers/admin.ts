import {
  clearLockoutsForAdmin,
  disableUserForAdmin,
  enableUserForAdmin,
  endSessionsForAdmin,
  findUserForAdmin,
  listUserEventsForAdmin,
  resetMfaForAdmin,
  ZAdminDone,
  ZAdminSecurityEventList,
  ZAdminUser,
  ZAdminUserQuery,
  ZClearedLockouts,
} from '@twofold/core';
import { adminProcedure } from '../trpc/admin-procedure.js';
import { router } from '../trpc/init.js';

/** Operators' actions behind admin keys; each records a security event naming the key. */
export const adminRouter = router({
  users: router({
    find: adminProcedure('users:read')
      .input(ZAdminUserQuery)
      .output(ZAdminUser)
      .query(({ ctx, input }) => findUserForAdmin(ctx.core, ctx.admin, input.user)),

    events: adminProcedure('events:read')
      .input(ZAdminUserQuery)
      .output(ZAdminSecurityEventList)
      .query(({ ctx, input }) => listUserEventsForAdmin(ctx.core, ctx.admin, input.user)),

    clearLockouts: adminProcedure('lockouts:write')
      .input(ZAdminUserQuery)
      .output(ZClearedLockouts)
      .mutation(({ ctx, input }) => clearLockoutsForAdmin(ctx.core, ctx.admin, input.user)),

    resetMfa: adminProcedure('mfa:reset')
      .input(ZAdminUserQuery)
      .output(ZAdminDone)
      .mutation(({ ctx, input }) => resetMfaForAdmin(ctx.core, ctx.admin, input.user)),

    endSessions: adminProcedure('sessions:end')
      .input(ZAdminUserQuery)
      .output(ZAdminDone)
      .mutation(({ ctx, input }) => endSessionsForAdmin(ctx.core, ctx.admin, input.user)),

    disable: adminProcedure('users:write')
      .input(ZAdminUserQuery)
      .output(ZAdminDone)
      .mutation(({ ctx, input }) => disableUserForAdmin(ctx.core, ctx.admin, input.user)),

    enable: adminProcedure('users:write')
      .input(ZAdminUserQuery)
      .output(ZAdminDone)
      .mutation(({ ctx, input }) => enableUserForAdmin(ctx.core, ctx.admin, input.user)),
  }),
});
