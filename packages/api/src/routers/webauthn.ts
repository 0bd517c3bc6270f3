import {
  authenticateMfaWebAuthn,
  listWebAuthnCredentials,
  loginWithPasskey,
  registerWebAuthnCredential,
  removeWebAuthnCredential,
  startPasskeyLogin,
  startWebAuthnReauth,
  startWebAuthnRegistration,
  startWebAuthnSecondStep,
  updateWebAuthnCredential,
  ZAuthMfaWebAuthnInput,
  ZPasskeyLoginInput,
  ZRegisterWebAuthnInput,
  ZRegisterWebAuthnResult,
  ZRemoveWebAuthnInput,
  ZUpdateWebAuthnInput,
  ZUserAuth,
  ZWebAuthnAssertionOptions,
  ZWebAuthnCredentialList,
  ZWebAuthnCredentialSummary,
  ZWebAuthnRegistrationOptions,
  ZWebAuthnSecondStepOptionsInput,
} from '@twofold/core';
import { z } from 'zod';
import { ALLOWED_WHILE_ENROLLING, ISSUES_SESSION } from '../trpc/enrollment-meta.js';
import { protectedProcedure, publicProcedure, router } from '../trpc/init.js';
import { ZNoInput } from '../trpc/no-input.js';

/** Security keys and passkeys (docs/contract.md § WebAuthn), as `mfa.webauthn.*`. */
export const webauthnRouter = router({
  registrationOptions: protectedProcedure
    .meta(ALLOWED_WHILE_ENROLLING)
    .input(ZNoInput)
    .output(ZWebAuthnRegistrationOptions)
    .mutation(({ ctx }) => startWebAuthnRegistration(ctx.core, ctx.session)),

  register: protectedProcedure
    .meta(ALLOWED_WHILE_ENROLLING)
    .input(ZRegisterWebAuthnInput)
    .output(ZRegisterWebAuthnResult)
    .mutation(({ ctx, input }) => registerWebAuthnCredential(ctx.core, ctx.session, input, ctx.meta)),

  list: protectedProcedure
    .input(ZNoInput)
    .output(ZWebAuthnCredentialList)
    .query(({ ctx }) => listWebAuthnCredentials(ctx.core, ctx.user.id)),

  update: protectedProcedure
    .input(ZUpdateWebAuthnInput)
    .output(ZWebAuthnCredentialSummary)
    .mutation(({ ctx, input }) => updateWebAuthnCredential(ctx.core, ctx.session, input, ctx.meta)),

  remove: protectedProcedure
    .input(ZRemoveWebAuthnInput)
    .output(z.void())
    .mutation(({ ctx, input }) => removeWebAuthnCredential(ctx.core, ctx.session, input, ctx.meta)),

  /** Options for `user.reauth` with `webauthn` (a key instead of a TOTP code). */
  reauthOptions: protectedProcedure
    .input(ZNoInput)
    .output(ZWebAuthnAssertionOptions)
    .mutation(({ ctx }) => startWebAuthnReauth(ctx.core, ctx.session)),

  authOptions: publicProcedure
    .input(ZWebAuthnSecondStepOptionsInput)
    .output(ZWebAuthnAssertionOptions)
    .mutation(({ ctx, input }) => startWebAuthnSecondStep(ctx.core, input)),

  auth: publicProcedure
    .meta(ISSUES_SESSION)
    .input(ZAuthMfaWebAuthnInput)
    .output(ZUserAuth)
    .mutation(({ ctx, input }) =>
      authenticateMfaWebAuthn(ctx.core, input, ctx.meta, ctx.device, ctx.trustedBrowser),
    ),

  loginOptions: publicProcedure
    .input(ZNoInput)
    .output(ZWebAuthnAssertionOptions)
    .mutation(({ ctx }) => startPasskeyLogin(ctx.core)),

  login: publicProcedure
    .meta(ISSUES_SESSION)
    .input(ZPasskeyLoginInput)
    .output(ZUserAuth)
    .mutation(({ ctx, input }) => loginWithPasskey(ctx.core, input, ctx.meta, ctx.device)),
});
