import type { Core, RequestMeta } from '@twofold/core';

/** What every procedure gets: the core, facts about the request, and the presented credential. */
export interface ApiContext {
  core: Core;
  meta: RequestMeta;
  /** Bearer JWT from the Authorization header, if any. */
  sessionToken: string | undefined;
  /** Serve the development mailbox (`dev.mail`); off unless set, never in production. */
  isDevMailboxEnabled?: boolean;
}

const BEARER = /^Bearer\s+(\S+)$/i;

export function bearerTokenOf(authorization: string | null | undefined): string | undefined {
  if (!authorization) return undefined;
  return BEARER.exec(authorization)?.[1];
}
