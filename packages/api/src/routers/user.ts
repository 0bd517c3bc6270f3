import {
  deleteAccount,
  emailVerificationStatus,
  exportAccount,
  listSecurityEvents,
  reauthenticate,
  requestEmailChange,
  sendEmailVerification,
  updateUser,
  verifyEmailWithCode,
  ZAccountExport,
  ZChangeEmailInput,
  ZDeleteAccountInput,
  ZEmailVerificationStatus,
  ZReauthInput,
  ZSecurityEventList,
  ZSendEmailVerificationInput,
  ZUpdateUserInput,
  ZUpdateUserResult,
  ZUserAuth,
  ZVerifyEmailCodeInput,
} from '@twofold/core';
import { z } from 'zod';
import { ALLOWED_WHILE_ENROLLING, ISSUES_SESSION } from '../trpc/enrollment-meta.js';
import { protectedProcedure, router } from '../trpc/init.js';
import { ZNoInput } from '../trpc/no-input.js';
import { sessionsRouter } from './sessions.js';
import { trustedDevicesRouter } from './trusted-devices.js';

export const userRouter = router({
  // docs/contract.md § Required MFA: enable needs a recovery email, nothing else may change.
  // A password change answers a new token for the session that made it.
  update: protectedProcedure
    .meta({ whileEnrollmentRequired: 'recovery-email-only', ...ISSUES_SESSION })
    .input(ZUpdateUserInput)
    .output(ZUpdateUserResult)
    .mutation(({ ctx, input }) => updateUser(ctx.core, ctx.session, input, ctx.meta)),

  /** Proves the password (and a TOTP code with MFA on) again: a fresh token for this session. */
  reauth: protectedProcedure
    .meta({ ...ALLOWED_WHILE_ENROLLING, ...ISSUES_SESSION })
    .input(ZReauthInput)
    .output(ZUserAuth)
    .mutation(({ ctx, input }) => reauthenticate(ctx.core, ctx.session, input, ctx.meta)),

  /**
   * Which of the user's addresses are verified (docs/contract.md § Verified addresses). Open to
   * a session that must enrol: with REQUIRE_VERIFIED_RECOVERY_EMAIL, enrolling needs it.
   */
  emailStatus: protectedProcedure
    .meta(ALLOWED_WHILE_ENROLLING)
    .input(ZNoInput)
    .output(ZEmailVerificationStatus)
    .query(({ ctx }) => emailVerificationStatus(ctx.core, ctx.user)),

  /**
   * Asks to make another address the main email: it takes over once verified
   * (docs/contract.md § Changing the email). Closed to a session that must enrol first.
   */
  changeEmail: protectedProcedure
    .input(ZChangeEmailInput)
    .output(ZEmailVerificationStatus)
    .mutation(({ ctx, input }) => requestEmailChange(ctx.core, ctx.session, input, ctx.meta)),

  sendEmailVerification: protectedProcedure
    .meta(ALLOWED_WHILE_ENROLLING)
    .input(ZSendEmailVerificationInput)
    .output(z.void())
    .mutation(({ ctx, input }) => sendEmailVerification(ctx.core, ctx.session, input, ctx.meta)),

  verifyEmail: protectedProcedure
    .meta(ALLOWED_WHILE_ENROLLING)
    .input(ZVerifyEmailCodeInput)
    .output(ZEmailVerificationStatus)
    .mutation(({ ctx, input }) => verifyEmailWithCode(ctx.core, ctx.session, input, ctx.meta)),

  securityEvents: protectedProcedure
    .input(ZNoInput)
    .output(ZSecurityEventList)
    .query(({ ctx }) => listSecurityEvents(ctx.core, ctx.user.id)),

  sessions: sessionsRouter,
  trustedDevices: trustedDevicesRouter,

  /**
   * The account as a JSON document for its owner (docs/contract.md § Leaving). Open to a session
   * that must enrol first, as deleting is: leaving needs no second factor set up.
   */
  export: protectedProcedure
    .meta(ALLOWED_WHILE_ENROLLING)
    .input(ZNoInput)
    .output(ZAccountExport)
    .query(({ ctx }) => exportAccount(ctx.core, ctx.session)),

  /** Deletes the account for good: fresh session, and a second factor while MFA is on. */
  delete: protectedProcedure
    .meta(ALLOWED_WHILE_ENROLLING)
    .input(ZDeleteAccountInput)
    .output(z.void())
    .mutation(async ({ ctx, input }) => {
      await deleteAccount(ctx.core, ctx.session, input, ctx.meta);
      // The session is gone with the account: the browser drops its cookie.
      ctx.sessionCookie?.clear();
    }),
});
