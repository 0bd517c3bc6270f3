import { createTRPCClient, httpLink, type TRPCClient, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@twofold/api';

export type TrpcClient = TRPCClient<AppRouter>;

/** The typed client internal TS apps use, over HTTP against the listening server. */
export function createTrpcClient(baseUrl: string, token?: string): TrpcClient {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${baseUrl}/trpc`,
        headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
      }),
    ],
  });
}

export type TrpcErrorData = NonNullable<TRPCClientError<AppRouter>['data']>;

/** Awaits a call that must fail and returns its typed error data (tRPC code, appCode, fields, lockout). */
export async function trpcErrorOf(call: Promise<unknown>): Promise<TrpcErrorData & { message: string }> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof TRPCClientError) || !error.data) throw error;
    const data = (error as TRPCClientError<AppRouter>).data as TrpcErrorData;
    return { ...data, message: error.message };
  }
  throw new Error('expected the tRPC call to fail, it succeeded');
}
