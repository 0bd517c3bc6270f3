import type { TIntrospectInput, TLoginInput, TRegisterInput } from '@twofold/core';
import {
  ERROR_MESSAGES,
  ZIntrospectInput,
  ZLoginInput,
  ZRegisterInput,
  ZSessionIntrospection,
  ZUserAuth,
} from '@twofold/core';
import { asProcedureInput, defineRoute, type RestResponse, type RestRoute } from '../route.js';

const login = (path: string, operationId: string): RestRoute =>
  defineRoute({
    method: 'POST',
    path,
    operationId,
    summary: 'Log in with username (or email) and password',
    tags: ['auth'],
    isProtected: false,
    requestBody: ZLoginInput,
    responseBody: ZUserAuth,
    responseHeaders: ['X-Account-Lockout'],
    optionalResponseHeaders: ['Set-Cookie'],
    errors: ['INVALID_CREDENTIALS', 'MFA_REQUIRED', 'ACCOUNT_DISABLED', 'TOO_MANY_ATTEMPTS'],
    errorHeaders: { 401: ['X-MFA-Token'] },
    async handle(caller, { body }): Promise<RestResponse> {
      const result = await caller.auth.login(asProcedureInput<TLoginInput>(body));
      if (result.status === 'mfa_required') {
        // docs/contract.md: MFA users get 401 with the token of the second step in a header.
        return {
          status: 401,
          body: { message: ERROR_MESSAGES.MFA_REQUIRED, code: 'MFA_REQUIRED' },
          headers: { 'X-MFA-Token': result.mfaToken },
        };
      }
      return { body: result.auth, headers: { 'X-Account-Lockout': '0' } };
    },
  });

export const authRoutes: RestRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/api/register',
    operationId: 'register',
    summary: 'Create an account and log in',
    tags: ['auth'],
    isProtected: false,
    requestBody: ZRegisterInput,
    responseBody: ZUserAuth,
    errors: ['EMAIL_TAKEN', 'USERNAME_TAKEN', 'TOO_MANY_ATTEMPTS'],
    handle: async (caller, { body }) => ({
      body: await caller.auth.register(asProcedureInput<TRegisterInput>(body)),
    }),
  }),
  login('/api/login', 'login'),
  login('/api/auth/user', 'authUser'),
  defineRoute({
    method: 'GET',
    path: '/api/auth/user',
    operationId: 'getAuthUser',
    summary: 'The logged-in user, with the session token presented',
    tags: ['auth'],
    isProtected: true,
    responseBody: ZUserAuth,
    handle: async (caller, { sessionToken }) => ({
      body: { token: sessionToken ?? '', ...(await caller.auth.me()) },
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/auth/introspect',
    operationId: 'introspectSession',
    summary: 'Whether a session token is live (RFC 7662 in spirit): for relying services holding it',
    tags: ['auth'],
    isProtected: false,
    requestBody: ZIntrospectInput,
    responseBody: ZSessionIntrospection,
    handle: async (caller, { body }) => ({
      body: await caller.auth.introspect(asProcedureInput<TIntrospectInput>(body)),
    }),
  }),
];
