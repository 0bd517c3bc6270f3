/**
 * Compile-time proof that the standalone `AppRouter` (src/generated/app-router.ts) is the
 * server's, as a client sees it: every procedure takes and answers exactly what the server's
 * does, and errors carry the same data. `pnpm typecheck` fails here the moment a procedure
 * changes and the file was not regenerated (`pnpm --filter @twofold/client generate`).
 */
import type { inferRouterError, inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter as ServerRouter } from '@twofold/api';
import type { AppRouter } from '../src/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
/** One object type of an interface or an intersection, so the two compare member by member. */
type Flat<T> = { [K in keyof T]: T[K] };

export type SameInputs = Assert<Equal<inferRouterInputs<AppRouter>, inferRouterInputs<ServerRouter>>>;
export type SameOutputs = Assert<Equal<inferRouterOutputs<AppRouter>, inferRouterOutputs<ServerRouter>>>;
export type SameErrorData = Assert<
  Equal<Flat<inferRouterError<AppRouter>['data']>, Flat<inferRouterError<ServerRouter>['data']>>
>;
