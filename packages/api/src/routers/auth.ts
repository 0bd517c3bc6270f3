import {
  DomainError,
  introspectSession,
  loginWithPassword,
  logout,
  readSession,
  registerUser,
  requestPasswordReset,
  resetPassword,
  toUserProfile,
  undoEmailChange,
  verifyEmailWithToken,
  ZEmailVerificationStatus,
  ZIntrospectInput,
  ZLoginInput,
  ZLoginResult,
  ZRegisterInput,
  ZRequestPasswordResetInput,
  ZResetPasswordInput,
  ZSessionIntrospection,
  ZUndoEmailChangeInput,
  ZUserAuth,
  ZUserProfile,
  ZVerifyEmailTokenInput,
} from '@twofold/core';
import { z } from 'zod';
import { ALLOWED_WHILE_ENROLLING, ISSUES_SESSION } from '../trpc/enrollment-meta.js';
import { protectedProcedure, publicProcedure, router } from '../trpc/init.js';
import { ZNoInput } from '../trpc/no-input.js';

export const authRouter = router({
  register: publicProcedure
    .meta(ISSUES_SESSION)
    .input(ZRegisterInput)
    .output(ZUserAuth)
    .mutation(({ ctx, input }) => registerUser(ctx.core, input, ctx.meta)),

  login: publicProcedure
    .meta(ISSUES_SESSION)
    .input(ZLoginInput)
    .output(ZLoginResult)
    .mutation(({ ctx, input }) =>
      loginWithPassword(ctx.core, input, ctx.meta, ctx.device, ctx.trustedBrowser),
    ),

  /**
   * Ends the presented session server-side (its token is refused from then on) and clears the
   * browser's cookie; without a live session it only clears the cookie (docs/contract.md § Sessions).
   */
  logout: publicProcedure
    .meta(ALLOWED_WHILE_ENROLLING)
    .input(ZNoInput)
    .output(z.void())
    .mutation(async ({ ctx }) => {
      ctx.sessionCookie?.clear();
      await logout(ctx.core, ctx.sessionToken, ctx.meta);
    }),

  /** "Forgot password": mails a code and a link; the same empty answer whether the account exists. */
  forgotPassword: publicProcedure
    .input(ZRequestPasswordResetInput)
    .output(z.void())
    .mutation(({ ctx, input }) => requestPasswordReset(ctx.core, input, ctx.meta)),

  /** Sets a new password with the mailed code or link; logs nobody in (docs/contract.md § Forgotten password). */
  resetPassword: publicProcedure
    .input(ZResetPasswordInput)
    .output(z.void())
    .mutation(({ ctx, input }) => resetPassword(ctx.core, input, ctx.meta)),

  /** The link of a verification mail: no session needed (docs/contract.md § Verified addresses). */
  verifyEmail: publicProcedure
    .input(ZVerifyEmailTokenInput)
    .output(ZEmailVerificationStatus)
    .mutation(({ ctx, input }) => verifyEmailWithToken(ctx.core, input, ctx.meta)),

  /**
   * Whether a session token is live, for a relying service that holds it (docs/contract.md §
   * Sessions other services verify). The token is the input, never the caller's credential, and
   * a mutation, so it travels in a body and never in a URL or a log line.
   */
  introspect: publicProcedure
    .input(ZIntrospectInput)
    .output(ZSessionIntrospection)
    .mutation(({ ctx, input }) => introspectSession(ctx.core, input)),

  /** The undo link mailed to the old address after an email change: no session needed. */
  undoEmailChange: publicProcedure
    .input(ZUndoEmailChangeInput)
    .output(z.void())
    .mutation(({ ctx, input }) => undoEmailChange(ctx.core, input, ctx.meta)),

  me: protectedProcedure
    .meta(ALLOWED_WHILE_ENROLLING)
    .input(ZNoInput)
    .output(ZUserProfile)
    .query(({ ctx }) => toUserProfile(ctx.core, ctx.user)),

  /**
   * The profile of the session, or null without a live one: `me` for a client that asks
   * whether anyone is signed in, where "nobody" is an answer, not a 401 (a logged-out page
   * load would otherwise log an error in the browser console).
   */
  session: publicProcedure
    .input(ZNoInput)
    .output(ZUserProfile.nullable())
    .query(async ({ ctx }) => {
      if (!ctx.sessionToken) return null;
      try {
        return await toUserProfile(ctx.core, (await readSession(ctx.core, ctx.sessionToken)).user);
      } catch (error) {
        if (error instanceof DomainError && error.code === 'UNAUTHENTICATED') return null;
        throw error;
      }
    }),
});
