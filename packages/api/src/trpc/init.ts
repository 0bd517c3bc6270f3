import { initTRPC, TRPCError } from '@trpc/server';
import { authenticateSession, DomainError, type ErrorCode, type LockoutDetails } from '@twofold/core';
import { toDomainError } from '../errors/to-domain-error.js';
import { TRPC_CODE_OF } from '../errors/trpc-codes.js';
import type { ApiContext } from './context.js';

/** Extra data on every tRPC error: the stable domain code and per-field reasons. */
export interface ApiErrorData {
  appCode: ErrorCode;
  fields?: Record<string, string>;
  lockout?: LockoutDetails;
}

const t = initTRPC.context<ApiContext>().create({
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

/**
 * Translates every failure once: whatever a procedure (or its input parser) threw leaves
 * as a TRPCError whose code is mapped from the domain code and whose cause is a DomainError.
 */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const domain = toDomainError(result.error);
  throw new TRPCError({ code: TRPC_CODE_OF[domain.code], message: domain.message, cause: domain });
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(domainErrors);

export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (!ctx.sessionToken) throw new DomainError('UNAUTHENTICATED', 'missing, invalid or expired session');
  const user = await authenticateSession(ctx.core, ctx.sessionToken);
  return next({ ctx: { ...ctx, user } });
});
