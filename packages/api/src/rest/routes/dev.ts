import { ZDevMailbox } from '@twofold/core';
import { defineRoute, type RestRoute } from '../route.js';

export const devRoutes: RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/api/dev/mail',
    operationId: 'listDevMail',
    summary:
      'The development mailbox: every queued email, newest first (404 unless on: no SMTP_URL, not production, no TRUST_PROXY, a direct loopback request)',
    tags: ['dev'],
    isProtected: false,
    responseBody: ZDevMailbox,
    errors: ['NOT_FOUND'],
    handle: async (caller) => ({ body: await caller.dev.mail() }),
  }),
];
