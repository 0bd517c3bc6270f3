import {
  type TChangeEmailInput,
  type TSendEmailVerificationInput,
  type TUndoEmailChangeInput,
  type TVerifyEmailCodeInput,
  type TVerifyEmailTokenInput,
  ZChangeEmailInput,
  ZEmailVerificationStatus,
  ZSendEmailVerificationInput,
  ZUndoEmailChangeInput,
  ZVerifyEmailCodeInput,
  ZVerifyEmailTokenInput,
} from '@twofold/core';
import { asProcedureInput, defineRoute, type RestRoute } from '../route.js';

const TAGS = ['users'];

/** docs/contract.md § Verified addresses: extension paths (ShellHub has none for this). */
export const emailVerificationRoutes: RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/api/user/email/status',
    operationId: 'emailVerificationStatus',
    summary: "Which of the user's addresses are verified",
    tags: TAGS,
    isProtected: true,
    responseBody: ZEmailVerificationStatus,
    handle: async (caller) => ({ body: await caller.user.emailStatus() }),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/user/email/verification',
    operationId: 'sendEmailVerification',
    summary: 'Mail a code and a link that verify the main or the recovery address (once a minute)',
    tags: TAGS,
    isProtected: true,
    requestBody: ZSendEmailVerificationInput,
    errors: ['RECOVERY_EMAIL_REQUIRED', 'TOO_MANY_ATTEMPTS'],
    async handle(caller, { body }) {
      await caller.user.sendEmailVerification(asProcedureInput<TSendEmailVerificationInput>(body));
      return {};
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/user/email/verify',
    operationId: 'verifyEmailCode',
    summary: 'Verify an address with the code of its verification mail',
    tags: TAGS,
    isProtected: true,
    requestBody: ZVerifyEmailCodeInput,
    responseBody: ZEmailVerificationStatus,
    // A code that confirms an email change may meet an address taken meanwhile (409).
    errors: ['INVALID_CODE', 'TOO_MANY_ATTEMPTS', 'EMAIL_TAKEN', 'ACCOUNT_DISABLED'],
    handle: async (caller, { body }) => ({
      body: await caller.user.verifyEmail(asProcedureInput<TVerifyEmailCodeInput>(body)),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/email/verify',
    operationId: 'verifyEmailLink',
    summary: 'Verify an address with the token of the link in its verification mail (no session)',
    tags: TAGS,
    isProtected: false,
    requestBody: ZVerifyEmailTokenInput,
    responseBody: ZEmailVerificationStatus,
    errors: ['INVALID_CODE', 'EMAIL_TAKEN', 'ACCOUNT_DISABLED'],
    handle: async (caller, { body }) => ({
      body: await caller.auth.verifyEmail(asProcedureInput<TVerifyEmailTokenInput>(body)),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/user/email/change',
    operationId: 'changeEmail',
    summary:
      'Ask to make another address the main email: it is mailed a verification and takes over once verified (fresh session)',
    tags: TAGS,
    isProtected: true,
    requestBody: ZChangeEmailInput,
    responseBody: ZEmailVerificationStatus,
    errors: ['EMAIL_TAKEN', 'REAUTHENTICATION_REQUIRED', 'TOO_MANY_ATTEMPTS'],
    handle: async (caller, { body }) => ({
      body: await caller.user.changeEmail(asProcedureInput<TChangeEmailInput>(body)),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/email/change/undo',
    operationId: 'undoEmailChange',
    summary:
      'Undo a change of the main email with the link mailed to the old address (no session): the old address is restored and every session ends',
    tags: TAGS,
    isProtected: false,
    requestBody: ZUndoEmailChangeInput,
    errors: ['INVALID_CODE', 'EMAIL_TAKEN', 'ACCOUNT_DISABLED'],
    async handle(caller, { body }) {
      await caller.auth.undoEmailChange(asProcedureInput<TUndoEmailChangeInput>(body));
      return {};
    },
  }),
];
