import { createTRPCClient, httpLink, type TRPCClient } from '@trpc/client';
import { baseUrlOf } from './base-url.js';
import type { AppRouter } from './generated/app-router.js';
import { resolveToken, type TokenSource } from './token.js';

export interface TwofoldTrpcClientOptions {
  /**
   * Where Twofold answers: its base URL (`https://auth.example.com`), or `/` for the page's own
   * origin. Procedures are called under `<url>/trpc`.
   */
  url: string;
  /** A session token, sent as `Authorization: Bearer`; a function is asked before every call. */
  token?: TokenSource;
  /** Headers for every call (the web app asks for a cookie session with them). */
  headers?: Readonly<Record<string, string>>;
  /** A fetch of your own (a proxy, a test's in-process server); the global one otherwise. */
  fetch?: typeof fetch;
}

export type TwofoldTrpcClient = TRPCClient<AppRouter>;

/**
 * A typed tRPC client for Twofold: `client.auth.login.mutate({username, password})`. One call per
 * request (no batching): the server takes at most 10 calls a batch (docs/contract.md § Bounded
 * work), and a failed call's status stays its own.
 */
export function createTwofoldTrpcClient(options: TwofoldTrpcClientOptions): TwofoldTrpcClient {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${baseUrlOf(options.url)}/trpc`,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        headers: async () => {
          const token = await resolveToken(options.token);
          return { ...options.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
        },
      }),
    ],
  });
}
