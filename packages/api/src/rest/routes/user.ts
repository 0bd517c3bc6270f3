import { type TUpdateUserInput, ZSecurityEventList, ZUpdateUserInput, ZUserProfile } from '@twofold/core';
import { asProcedureInput, defineRoute, type RestRoute } from '../route.js';

export const userRoutes: RestRoute[] = [
  defineRoute({
    method: 'PATCH',
    path: '/api/users',
    operationId: 'updateUser',
    summary: 'Change the name and/or recovery email',
    tags: ['users'],
    isProtected: true,
    requestBody: ZUpdateUserInput,
    responseBody: ZUserProfile,
    errors: ['EMAIL_TAKEN', 'TOO_MANY_ATTEMPTS'],
    handle: async (caller, { body }) => ({
      body: await caller.user.update(asProcedureInput<TUpdateUserInput>(body)),
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
