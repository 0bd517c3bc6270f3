import { ZAdminDone, ZAdminSecurityEventList, ZAdminUser, ZClearedLockouts } from '@twofold/core';
import { defineRoute, type RestRoute } from '../route.js';

const TAGS = ['admin'];
const USER = '/api/admin/users/{user}';
const PARAMS = { user: 'user id, username or email' } as const;
/**
 * Not the session JWT: these take `Authorization: Bearer <admin key>` (docs/contract.md §
 * Administration); `adminScope` documents it with its 401 and 403.
 */
const ERRORS = ['NOT_FOUND'] as const;

/** Operators' REST API over the admin router (docs/contract.md § Administration). */
export const adminRoutes: RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: USER,
    operationId: 'adminFindUser',
    summary: 'Find a user (admin key with users:read)',
    tags: TAGS,
    isProtected: false,
    adminScope: 'users:read',
    pathParams: PARAMS,
    responseBody: ZAdminUser,
    errors: ERRORS,
    handle: async (caller, { params }) => ({
      body: await caller.admin.users.find({ user: params.user ?? '' }),
    }),
  }),
  defineRoute({
    method: 'GET',
    path: `${USER}/events`,
    operationId: 'adminListUserEvents',
    summary: "A user's security events, with the admin key behind each operator action (events:read)",
    tags: TAGS,
    isProtected: false,
    adminScope: 'events:read',
    pathParams: PARAMS,
    responseBody: ZAdminSecurityEventList,
    errors: ERRORS,
    handle: async (caller, { params }) => ({
      body: await caller.admin.users.events({ user: params.user ?? '' }),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: `${USER}/unlock`,
    operationId: 'adminClearLockouts',
    summary: "End a user's password and second-factor lockouts (lockouts:write)",
    tags: TAGS,
    isProtected: false,
    adminScope: 'lockouts:write',
    pathParams: PARAMS,
    responseBody: ZClearedLockouts,
    errors: ERRORS,
    handle: async (caller, { params }) => ({
      body: await caller.admin.users.clearLockouts({ user: params.user ?? '' }),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: `${USER}/mfa/reset`,
    operationId: 'adminResetMfa',
    summary:
      "Turn a user's MFA off (every factor and recovery code), end the sessions, mail the user (mfa:reset)",
    tags: TAGS,
    isProtected: false,
    adminScope: 'mfa:reset',
    pathParams: PARAMS,
    responseBody: ZAdminDone,
    errors: [...ERRORS, 'MFA_NOT_ENABLED'],
    handle: async (caller, { params }) => ({
      body: await caller.admin.users.resetMfa({ user: params.user ?? '' }),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: `${USER}/sessions/end`,
    operationId: 'adminEndSessions',
    summary: 'End every session of a user (sessions:end)',
    tags: TAGS,
    isProtected: false,
    adminScope: 'sessions:end',
    pathParams: PARAMS,
    responseBody: ZAdminDone,
    errors: ERRORS,
    handle: async (caller, { params }) => ({
      body: await caller.admin.users.endSessions({ user: params.user ?? '' }),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: `${USER}/disable`,
    operationId: 'adminDisableUser',
    summary: 'Disable an account: no login starts a session, every session ends (users:write)',
    tags: TAGS,
    isProtected: false,
    adminScope: 'users:write',
    pathParams: PARAMS,
    responseBody: ZAdminDone,
    errors: ERRORS,
    handle: async (caller, { params }) => ({
      body: await caller.admin.users.disable({ user: params.user ?? '' }),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: `${USER}/enable`,
    operationId: 'adminEnableUser',
    summary: 'Enable a disabled account again (users:write)',
    tags: TAGS,
    isProtected: false,
    adminScope: 'users:write',
    pathParams: PARAMS,
    responseBody: ZAdminDone,
    errors: ERRORS,
    handle: async (caller, { params }) => ({
      body: await caller.admin.users.enable({ user: params.user ?? '' }),
    }),
  }),
];
