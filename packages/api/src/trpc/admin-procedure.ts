import { type AdminScope, authenticateAdminKey } from '@twofold/core';
import { publicProcedure } from './init.js';

/**
 * A procedure for operators: `Authorization: Bearer <admin key>` holding `scope`
 * (docs/contract.md § Administration). A missing, unknown, wrong or expired key is 401, a key
 * without the scope 403. Only the header counts: a cookie never carries an admin key.
 */
export function adminProcedure(scope: AdminScope) {
  return publicProcedure.use(async ({ ctx, next }) => {
    const presented = ctx.sessionSource === 'cookie' ? undefined : ctx.sessionToken;
    const key = await authenticateAdminKey(ctx.core, presented, scope);
    return next({ ctx: { ...ctx, admin: { key, meta: ctx.meta } } });
  });
}
