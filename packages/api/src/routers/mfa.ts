import {
  authenticateMfa,
  disableMfa,
  enableMfa,
  generateMfa,
  recoverWithCode,
  requestMfaReset,
  resetMfa,
  ZAuthMfaInput,
  ZDisableMfaInput,
  ZEnableMfaInput,
  ZGenerateMfaResult,
  ZRecoverMfaInput,
  ZRecoverMfaResult,
  ZRequestResetInput,
  ZRequestResetResult,
  ZResetMfaInput,
  ZUserAuth,
} from '@twofold/core';
import { z } from 'zod';
import { ALLOWED_WHILE_ENROLLING, ISSUES_SESSION } from '../trpc/enrollment-meta.js';
import { protectedProcedure, publicProcedure, router } from '../trpc/init.js';
import { ZNoInput } from '../trpc/no-input.js';
import { recoveryCodesRouter } from './recovery-codes.js';
import { webauthnRouter } from './webauthn.js';

export const mfaRouter = router({
  recoveryCodes: recoveryCodesRouter,

  generate: protectedProcedure
    .meta(ALLOWED_WHILE_ENROLLING)
    .input(ZNoInput)
    .output(ZGenerateMfaResult)
    .mutation(({ ctx }) => generateMfa(ctx.core, ctx.session, ctx.meta)),

  enable: protectedProcedure
    .meta(ALLOWED_WHILE_ENROLLING)
    .input(ZEnableMfaInput)
    .output(z.void())
    .mutation(({ ctx, input }) => enableMfa(ctx.core, ctx.session, input, ctx.meta)),

  auth: publicProcedure
    .meta(ISSUES_SESSION)
    .input(ZAuthMfaInput)
    .output(ZUserAuth)
    .mutation(({ ctx, input }) => authenticateMfa(ctx.core, input, ctx.meta, ctx.device, ctx.trustedBrowser)),

  recover: publicProcedure
    .meta(ISSUES_SESSION)
    .input(ZRecoverMfaInput)
    .output(ZRecoverMfaResult)
    .mutation(({ ctx, input }) => recoverWithCode(ctx.core, input, ctx.meta)),

  disable: protectedProcedure
    .input(ZDisableMfaInput)
    .output(z.void())
    .mutation(({ ctx, input }) => disableMfa(ctx.core, ctx.user, input, ctx.meta)),

  requestReset: publicProcedure
    .input(ZRequestResetInput)
    .output(ZRequestResetResult)
    .mutation(({ ctx, input }) => requestMfaReset(ctx.core, input, ctx.meta)),

  reset: publicProcedure
    .meta(ISSUES_SESSION)
    .input(ZResetMfaInput)
    .output(ZUserAuth)
    .mutation(({ ctx, input }) => resetMfa(ctx.core, input, ctx.meta)),

  webauthn: webauthnRouter,
});
