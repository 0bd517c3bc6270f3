import { authRouter } from './routers/auth.js';
import { devRouter } from './routers/dev.js';
import { createCallerFactory, router } from './trpc/init.js';

export const appRouter = router({
  auth: authRouter,
  dev: devRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
export type ApiCaller = ReturnType<typeof createCaller>;
