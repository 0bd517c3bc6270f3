import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@twofold/api';

let sessionToken: string | undefined;

export function setSessionToken(token: string | undefined): void {
  sessionToken = token;
}

/** Types come from the server's router: a changed procedure breaks this build. */
export const trpc = createTRPCClient<AppRouter>({
  links: [
    httpLink({
      url: '/trpc',
      headers: () => (sessionToken ? { authorization: `Bearer ${sessionToken}` } : {}),
    }),
  ],
});

/** The readable message and per-field reasons of a failed call. */
export function describeFailure(error: unknown): { message: string; fields: Record<string, string> } {
  if (error instanceof TRPCClientError) {
    const data = error.data as { fields?: Record<string, string> } | undefined;
    return { message: error.message, fields: data?.fields ?? {} };
  }
  return { message: 'Something went wrong. Try again.', fields: {} };
}
