import { initTRPC, TRPCError } from '@trpc/server';
import {
  assertMfaEnrollmentNotRequired,
  DomainError,
  type ErrorCode,
  type LockoutDetails,
  readSession,
} from '@twofold/core';
import { toDomainError } from '../errors/to-domain-error.js';
import { TRPC_CODE_OF } from '../errors/trpc-codes.js';
import { moveTokenToCookie } from '../session/cookie-jar.js';
import { CSRF_HEADER } from '../session/session-cookie.js';
import type { ApiContext } from './context.js';
import { isAllowedWhileEnrolling, type ProcedureMeta } from './enrollment-meta.js';

/** Extra data on every tRPC error: the stable domain code and per-field reasons. */
export interface ApiErrorData {
  appCode: ErrorCode;
  fields?: Record<string, string>;
  lockout?: LockoutDetails;
}

const t = initTRPC
  .context<ApiContext>()
  .meta<ProcedureMeta>()
  .create({
    errorFormatter({ shape, error }) {
      const domain = toDomainError(error);
      const data: ApiErrorData & { code: typeof shape.data.code; httpStatus: number } = {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        appCode: domain.code,
        ...(domain.fields ? { fields: domain.fields } : {}),
        ...(domain.lockout ? { lockout: domain.lockout } : {}),
      };
      // Never a stack trace or an internal message to clients.
      return { code: shape.code, message: domain.message, data };
    },
  });

function toTrpcError(error: unknown): TRPCError {
  const domain = toDomainError(error);
  return new TRPCError({ code: TRPC_CODE_OF[domain.code], message: domain.message, cause: domain });
}

/**
 * What every procedure shares, in one middleware (each tRPC middleware level copies the
 * call's options several times, a visible cost per request):
 * - CSRF: a cookie rides along on any request the browser sends, including a cross-site
 *   form post; a custom header does not. So a state change authenticated by the cookie
 *   needs the header.
 * - Errors are translated once: whatever the procedure (or its input parser) threw leaves
 *   as a TRPCError whose code is mapped from the domain code and whose cause is a DomainError.
 * - For a client that asked for a cookie session, the JWT goes into the cookie, not the body.
 */
const procedureBoundary = t.middleware(async ({ ctx, type, path, meta, next }) => {
  if (type === 'mutation' && ctx.sessionSource === 'cookie' && !ctx.hasCsrfHeader) {
    throw toTrpcError(
      new DomainError('CSRF_REJECTED', `a request authenticated by cookie must send ${CSRF_HEADER}: 1`),
    );
  }
  const result = await next();
  if (!result.ok) {
    const error = toTrpcError(result.error);
    // Both transports pass here once per call: the one place domain metrics are counted.
    ctx.metrics?.observeProcedure(path, { ok: false, code: (error.cause as DomainError).code });
    throw error;
  }
  ctx.metrics?.observeProcedure(path, { ok: true, data: result.data });
  const jar = ctx.sessionCookie;
  if (!jar?.isRequested || !meta?.issuesSession) return result;
  return { ...result, data: moveTokenToCookie(result.data, jar) };
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(procedureBoundary);

export const protectedProcedure = publicProcedure.use(async ({ ctx, meta, getRawInput, next }) => {
  if (!ctx.sessionToken) throw new DomainError('UNAUTHENTICATED');
  const session = await readSession(ctx.core, ctx.sessionToken);
  // docs/contract.md § Required MFA: the one gate for tRPC and REST (REST calls these procedures).
  if (!(await isAllowedWhileEnrolling(meta, getRawInput))) {
    await assertMfaEnrollmentNotRequired(ctx.core, session.user);
  }
  return next({ ctx: { ...ctx, user: session.user, session } });
});
