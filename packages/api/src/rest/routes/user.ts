import {
  type TDeleteAccountInput,
  type TReauthInput,
  type TUpdateUserInput,
  ZAccountExport,
  ZDeleteAccountInput,
  ZReauthInput,
  ZSecurityEventList,
  ZUpdateUserInput,
  ZUpdateUserResult,
  ZUserAuth,
} from '@twofold/core';
import { asProcedureInput, defineRoute, type RestRoute } from '../route.js';

export const userRoutes: RestRoute[] = [
  defineRoute({
    method: 'PATCH',
    path: '/api/users',
    operationId: 'updateUser',
    summary: 'Change the name, recovery email and/or password (with current_password)',
    tags: ['users'],
    isProtected: true,
    requestBody: ZUpdateUserInput,
    responseBody: ZUpdateUserResult,
    errors: ['EMAIL_TAKEN', 'PROOF_REJECTED', 'TOO_MANY_ATTEMPTS', 'REAUTHENTICATION_REQUIRED'],
    handle: async (caller, { body }) => ({
      body: await caller.user.update(asProcedureInput<TUpdateUserInput>(body)),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/user/reauth',
    operationId: 'reauthenticate',
    summary: 'Prove the password (and a TOTP code with MFA on) again; the session is fresh for 15 minutes',
    tags: ['users'],
    isProtected: true,
    requestBody: ZReauthInput,
    responseBody: ZUserAuth,
    errors: ['PROOF_REJECTED', 'TOO_MANY_ATTEMPTS'],
    handle: async (caller, { body }) => ({
      body: await caller.user.reauth(asProcedureInput<TReauthInput>(body)),
    }),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/user/security-events',
    operationId: 'listSecurityEvents',
    summary: "The user's security events, newest first",
    tags: ['users'],
    isProtected: true,
    responseBody: ZSecurityEventList,
    handle: async (caller) => ({ body: await caller.user.securityEvents() }),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/user/export',
    operationId: 'exportAccount',
    summary:
      "Download the account as JSON: profile, factors' metadata (never a secret), sessions and security events",
    tags: ['users'],
    isProtected: true,
    responseBody: ZAccountExport,
    responseHeaders: ['Content-Disposition'],
    handle: async (caller) => {
      const exported = await caller.user.export();
      // The username is a-z, 0-9 and ._@- only: safe in a quoted filename.
      const filename = `twofold-account-${exported.profile.username}.json`;
      return { body: exported, headers: { 'Content-Disposition': `attachment; filename="${filename}"` } };
    },
  }),
  ...(['DELETE', 'POST'] as const).map((method) =>
    defineRoute({
      method,
      path: method === 'DELETE' ? '/api/user' : '/api/user/delete',
      operationId: method === 'DELETE' ? 'deleteAccount' : 'deleteAccountPost',
      summary:
        method === 'DELETE'
          ? 'Delete the account for good (fresh session; with MFA on, one of code, recovery_code or webauthn)'
          : 'The same as DELETE /api/user, for clients that cannot send a body with DELETE',
      tags: ['users'],
      isProtected: true,
      requestBody: ZDeleteAccountInput,
      isBodyOptional: true,
      errors: ['REAUTHENTICATION_REQUIRED', 'PROOF_REJECTED', 'TOO_MANY_ATTEMPTS'],
      async handle(caller, { body }) {
        // No body: no proof, which is all an account without MFA needs.
        await caller.user.delete(asProcedureInput<TDeleteAccountInput>(body ?? {}));
        return {};
      },
    }),
  ),
];
