import { ZEndOtherSessionsResult, ZSessionList } from '@twofold/core';
import { defineRoute, type RestRoute } from '../route.js';

const TAGS = ['sessions'];
const PATH = '/api/user/sessions';

/** Extension paths beside the seed's (docs/contract.md § Sessions). */
export const sessionRoutes: RestRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/api/logout',
    operationId: 'logout',
    summary: 'End the presented session server-side; its token is refused from then on',
    tags: TAGS,
    // Always possible: without a live session there is nothing to end, and the answer is the same.
    isProtected: false,
    isSessionOptional: true,
    async handle(caller) {
      await caller.auth.logout();
      return {};
    },
  }),
  defineRoute({
    method: 'GET',
    path: PATH,
    operationId: 'listSessions',
    summary: "The user's live sessions, newest first, the current one marked",
    tags: TAGS,
    isProtected: true,
    responseBody: ZSessionList,
    handle: async (caller) => ({ body: await caller.user.sessions.list() }),
  }),
  defineRoute({
    method: 'DELETE',
    path: PATH,
    operationId: 'endOtherSessions',
    summary: 'End every session of the user but the current one',
    tags: TAGS,
    isProtected: true,
    responseBody: ZEndOtherSessionsResult,
    handle: async (caller) => ({ body: await caller.user.sessions.endOthers() }),
  }),
  defineRoute({
    method: 'DELETE',
    path: `${PATH}/{id}`,
    operationId: 'endSession',
    summary: "End one of the user's sessions (404 for an unknown id or another user's)",
    tags: TAGS,
    isProtected: true,
    errors: ['SESSION_NOT_FOUND'],
    pathParams: { id: 'a session id from GET /api/user/sessions' },
    async handle(caller, { params }) {
      await caller.user.sessions.end({ id: params.id ?? '' });
      return {};
    },
  }),
];
