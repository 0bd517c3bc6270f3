import type { ErrorCode } from '@twofold/core';
import { HTTP_STATUS_OF } from '../errors/http-status.js';
import type { RestRoute } from '../rest/route.js';

/** Path parameters of an OpenAPI path template: `/a/{user-id}` → `['user-id']`. */
export function pathParamsOf(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');
}

/**
 * Every domain error an operation can answer: the ones its route declares plus those any
 * route of its kind shares (docs/contract.md § Conventions): a malformed body or parameter (400),
 * an oversized or non-JSON body (413, 415), a missing or stale session (401), a missing or
 * wrong admin key (401) or one without the scope (403) on an operator's route, a cookie
 * without the CSRF header on a state change (403), and faults.
 */
export function errorCodesOf(route: RestRoute): ErrorCode[] {
  const codes = new Set<ErrorCode>(route.errors ?? []);
  // Every route but GET reads its body (app.ts): one that takes none still refuses fields in
  // it (docs/contract.md § Fields beyond the seed), and a body too large or not JSON.
  const readsBody = route.requestBody !== undefined || route.method !== 'GET';
  if (readsBody || pathParamsOf(route.path).length > 0) codes.add('INVALID_INPUT');
  if (readsBody) {
    codes.add('PAYLOAD_TOO_LARGE');
    codes.add('UNSUPPORTED_MEDIA_TYPE');
  }
  if (route.adminScope) {
    // docs/contract.md § Administration: no key or a bad one 401, a key without the scope 403.
    codes.add('UNAUTHENTICATED');
    codes.add('INSUFFICIENT_SCOPE');
  }
  if (route.isProtected) {
    codes.add('UNAUTHENTICATED');
    // docs/contract.md § Required MFA: a session that must enrol first gets 403 on every
    // protected route but the few that enrol (the procedures' meta decides; the document
    // lists the code on all of them rather than keep a second list).
    codes.add('MFA_ENROLLMENT_REQUIRED');
  }
  // Every non-GET route maps onto a mutation, refused when a session cookie rides along
  // without the CSRF header (a GET route that mutates lists the code itself).
  if (route.method !== 'GET') codes.add('CSRF_REJECTED');
  codes.add('SERVICE_UNAVAILABLE');
  codes.add('INTERNAL');
  return [...codes];
}

/** The codes grouped by the HTTP status they are answered with, statuses ascending. */
export function errorCodesByStatus(codes: readonly ErrorCode[]): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = HTTP_STATUS_OF[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}
