import { adminRouter } from './routers/admin.js';
import { authRouter } from './routers/auth.js';
import { devRouter } from './routers/dev.js';
import { mfaRouter } from './routers/mfa.js';
import { userRouter } from './routers/user.js';
import { createCallerFactory, router } from './trpc/init.js';

export const appRouter = router({
  auth: authRouter,
  mfa: mfaRouter,
  user: userRouter,
  dev: devRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
export type ApiCaller = ReturnType<typeof createCaller>;
