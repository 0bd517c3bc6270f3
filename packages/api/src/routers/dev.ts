import { DomainError, listDevMail, ZDevMailbox } from '@twofold/core';
import { publicProcedure, router } from '../trpc/init.js';
import { ZNoInput } from '../trpc/no-input.js';

/**
 * Development helpers. The mailbox shows reset codes, so outside development it does
 * not exist: the same NOT_FOUND as any unknown endpoint.
 */
const devProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.isDevMailboxEnabled !== true) throw new DomainError('NOT_FOUND', 'no such endpoint');
  return next();
});

export const devRouter = router({
  mail: devProcedure
    .input(ZNoInput)
    .output(ZDevMailbox)
    .query(({ ctx }) => listDevMail(ctx.core)),
});
