import {
  type TReauthInput,
  type TUpdateUserInput,
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
];
