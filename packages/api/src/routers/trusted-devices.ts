import {
  listTrustedDevices,
  revokeTrustedDevice,
  ZRevokeTrustedDeviceInput,
  ZTrustedDeviceList,
} from '@twofold/core';
import { z } from 'zod';
import { protectedProcedure, router } from '../trpc/init.js';
import { ZNoInput } from '../trpc/no-input.js';

/** `user.trustedDevices.*`: the browsers that skip the second step, and revoking them (docs/contract.md § Trusted devices). */
export const trustedDevicesRouter = router({
  list: protectedProcedure
    .input(ZNoInput)
    .output(ZTrustedDeviceList)
    .query(({ ctx }) => listTrustedDevices(ctx.core, ctx.user.id, ctx.trustedBrowser?.presentedToken)),

  revoke: protectedProcedure
    .input(ZRevokeTrustedDeviceInput)
    .output(z.void())
    .mutation(({ ctx, input }) => revokeTrustedDevice(ctx.core, ctx.session, input, ctx.meta)),
});
