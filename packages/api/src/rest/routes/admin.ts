import type { AdminScope, ErrorCode } from '@twofold/core';
import { ZAdminDone, ZAdminSecurityEventList, ZAdminUser, ZClearedLockouts } from '@twofold/core';
import type { z } from 'zod';
import type { ApiCaller } from '../../router.js';
import { defineRoute, type RestRoute } from '../route.js';

type AdminUsers = ApiCaller['admin']['users'];

/**
 * One operator action on one user: `{method} /api/admin/users/{user}{suffix}` onto the admin
 * router's procedure. Not the session JWT: these take `Authorization: Bearer <admin key>`
 * (docs/contract.md § Administration); `adminScope` documents it with its 401 and 403.
 */
function userAction(action: {
  method: 'GET' | 'POST';
  suffix: string;
  operationId: string;
  summary: string;
  scope: AdminScope;
  responseBody: z.ZodType;
  errors?: readonly ErrorCode[];
  call: (users: AdminUsers, input: { user: string }) => Promise<unknown>;
}): RestRoute {
  return defineRoute({
    method: action.method,
    path: `/api/admin/users/{user}${action.suffix}`,
    operationId: action.operationId,
    summary: action.summary,
    tags: ['admin'],
    isProtected: false,
    adminScope: action.scope,
    pathParams: { user: 'user id, username or email' },
    responseBody: action.responseBody,
    errors: ['NOT_FOUND', ...(action.errors ?? [])],
    handle: async (caller, { params }) => ({
      body: await action.call(caller.admin.users, { user: params.user ?? '' }),
    }),
  });
}

/** Operators' REST API over the admin router (docs/contract.md § Administration). */
export const adminRoutes: RestRoute[] = [
  userAction({
    method: 'GET',
    suffix: '',
    operationId: 'adminFindUser',
    summary: 'Find a user (admin key with users:read)',
    scope: 'users:read',
    responseBody: ZAdminUser,
    call: (users, input) => users.find(input),
  }),
  userAction({
    method: 'GET',
    suffix: '/events',
    operationId: 'adminListUserEvents',
    summary: "A user's security events, with the admin key behind each operator action (events:read)",
    scope: 'events:read',
    responseBody: ZAdminSecurityEventList,
    call: (users, input) => users.events(input),
  }),
  userAction({
    method: 'POST',
    suffix: '/unlock',
    operationId: 'adminClearLockouts',
    summary: "End a user's password and second-factor lockouts (lockouts:write)",
    scope: 'lockouts:write',
    responseBody: ZClearedLockouts,
    call: (users, input) => users.clearLockouts(input),
  }),
  userAction({
    method: 'POST',
    suffix: '/mfa/reset',
    operationId: 'adminResetMfa',
    summary:
      "Turn a user's MFA off (every factor and recovery code), end the sessions, mail the user (mfa:reset)",
    scope: 'mfa:reset',
    responseBody: ZAdminDone,
    errors: ['MFA_NOT_ENABLED'],
    call: (users, input) => users.resetMfa(input),
  }),
  userAction({
    method: 'POST',
    suffix: '/sessions/end',
    operationId: 'adminEndSessions',
    summary: 'End every session of a user (sessions:end)',
    scope: 'sessions:end',
    responseBody: ZAdminDone,
    call: (users, input) => users.endSessions(input),
  }),
  userAction({
    method: 'POST',
    suffix: '/disable',
    operationId: 'adminDisableUser',
    summary: 'Disable an account: no login starts a session, every session ends (users:write)',
    scope: 'users:write',
    responseBody: ZAdminDone,
    call: (users, input) => users.disable(input),
  }),
  userAction({
    method: 'POST',
    suffix: '/enable',
    operationId: 'adminEnableUser',
    summary: 'Enable a disabled account again (users:write)',
    scope: 'users:write',
    responseBody: ZAdminDone,
    call: (users, input) => users.enable(input),
  }),
];
