import {
  type TRequestPasswordResetInput,
  type TResetPasswordInput,
  ZIdentifier,
  ZRequestPasswordResetInput,
  ZResetPasswordInput,
} from '@twofold/core';
import { z } from 'zod';
import { fieldsOf, invalidInput } from '../../errors/to-domain-error.js';
import { asProcedureInput, defineRoute, type RestRoute } from '../route.js';

const TAGS = ['auth'];
const FORGOT_SUMMARY =
  'Forgot password: mail a code and a link (the same empty answer whether the account exists)';

/** ShellHub's body for POST /api/user/recover_password: `username` holds a username or an email. */
const ZRecoverPasswordBody = z.object({ username: ZIdentifier }).strict();

export const passwordResetRoutes: RestRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/api/user/recover_password',
    operationId: 'recoverPassword',
    summary: FORGOT_SUMMARY,
    tags: TAGS,
    isProtected: false,
    requestBody: ZRecoverPasswordBody,
    async handle(caller, { body }) {
      // Only renames ShellHub's field: errors must name `username`, the field this body has.
      const parsed = ZRecoverPasswordBody.safeParse(body);
      if (!parsed.success) throw invalidInput(fieldsOf(parsed.error.issues));
      await caller.auth.forgotPassword(
        asProcedureInput<TRequestPasswordResetInput>({ identifier: parsed.data.username }),
      );
      return {};
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/user/password/forgot',
    operationId: 'forgotPassword',
    summary: FORGOT_SUMMARY,
    tags: TAGS,
    isProtected: false,
    requestBody: ZRequestPasswordResetInput,
    async handle(caller, { body }) {
      await caller.auth.forgotPassword(asProcedureInput<TRequestPasswordResetInput>(body));
      return {};
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/user/password/reset',
    operationId: 'resetPassword',
    summary: 'Set a new password with the mailed code (and identifier) or the link token; logs nobody in',
    tags: TAGS,
    isProtected: false,
    requestBody: ZResetPasswordInput,
    errors: ['INVALID_CODE', 'ACCOUNT_DISABLED', 'TOO_MANY_ATTEMPTS'],
    async handle(caller, { body }) {
      await caller.auth.resetPassword(asProcedureInput<TResetPasswordInput>(body));
      return {};
    },
  }),
];
