import type { AdminScope, ErrorCode } from '@twofold/core';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import type { ApiCaller } from '../router.js';

interface RestRequest {
  /** Parsed JSON body (undefined for GET or an empty body). */
  body: unknown;
  params: Record<string, string>;
  /** The bearer JWT presented, if any. */
  sessionToken: string | undefined;
}

export interface RestResponse {
  status?: ContentfulStatusCode;
  /** Undefined means an empty body ("200 empty" in docs/contract.md). */
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * One REST operation: how HTTP maps onto a tRPC procedure. The same table mounts the
 * routes and generates the OpenAPI document, so the two cannot drift.
 */
export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI-style path, e.g. `/api/user/mfa/reset/{user-id}`. */
  path: string;
  operationId: string;
  summary: string;
  tags: string[];
  isProtected: boolean;
  /**
   * A public route that acts on the session when one is presented (logout): documented with the
   * session schemes and the anonymous requirement `{}`, so clients send their token.
   */
  isSessionOptional?: boolean;
  /**
   * An operator's route: `Authorization: Bearer <admin key>` holding this scope (the scope its
   * procedure demands), documented as the `adminKey` scheme with its 401 and 403.
   */
  adminScope?: AdminScope;
  requestBody?: z.ZodType;
  /** The handler stands in a default for an absent body, so the document marks the body optional. */
  isBodyOptional?: boolean;
  responseBody?: z.ZodType;
  /** Response headers on success, documented in OpenAPI. */
  responseHeaders?: readonly string[];
  /** Headers a success may carry, e.g. `Set-Cookie` (the device cookie) on a complete login. */
  optionalResponseHeaders?: readonly string[];
  /**
   * Domain errors this operation can answer besides those every route shares (malformed
   * input, missing session, faults: see `openapi/error-codes.ts`). Documented per status.
   */
  errors?: readonly ErrorCode[];
  /** Headers sent with an error status, e.g. `X-MFA-Token` on the 401 of login. */
  errorHeaders?: Readonly<Partial<Record<number, readonly string[]>>>;
  /** What each `{param}` of the path holds, for the OpenAPI document. */
  pathParams?: Readonly<Record<string, string>>;
  handle(caller: ApiCaller, request: RestRequest): Promise<RestResponse>;
}

export function defineRoute(route: RestRoute): RestRoute {
  return route;
}

/**
 * The raw JSON body, typed as the procedure's input. Not a check: the procedure's zod
 * input schema validates it, so a malformed body still becomes a 400.
 */
export function asProcedureInput<T>(body: unknown): T {
  return body as T;
}
