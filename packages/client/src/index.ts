/**
 * `@twofold/client`: a typed tRPC client for Twofold, whose types stand alone (no server
 * package behind them). The REST client is `@twofold/client/rest`.
 */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './generated/app-router.js';

export { TRPCClientError } from '@trpc/client';
export type {
  AppRouter,
  TwofoldErrorCode,
  TwofoldErrorData,
  TwofoldErrorShape,
} from './generated/app-router.js';
export type { TokenSource } from './token.js';
export {
  createTwofoldTrpcClient,
  type TwofoldTrpcClient,
  type TwofoldTrpcClientOptions,
} from './trpc-client.js';

/** What each procedure takes: `TwofoldInputs['auth']['login']`. */
export type TwofoldInputs = inferRouterInputs<AppRouter>;
/** What each procedure answers: `TwofoldOutputs['auth']['me']`. */
export type TwofoldOutputs = inferRouterOutputs<AppRouter>;
