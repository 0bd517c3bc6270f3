// A TypeScript project outside the workspace that uses the packed package: the consumer test
// type-checks it without skipLibCheck and counts the declaration files it loads.
import {
  createTwofoldTrpcClient,
  TRPCClientError,
  type TwofoldErrorCode,
  type TwofoldOutputs,
} from '@twofold/client';
import { createTwofoldRestClient, enableMfa, generateMfa, login, mfaTokenOf } from '@twofold/client/rest';

const trpc = createTwofoldTrpcClient({ url: 'https://auth.example.com', token: () => 'a session token' });
const rest = createTwofoldRestClient({ url: 'https://auth.example.com', token: 'a session token' });

export async function whoAmI(): Promise<TwofoldOutputs['auth']['me']['user']> {
  return (await trpc.auth.me.query()).user;
}

export async function isLive(token: string): Promise<boolean> {
  return (await trpc.auth.introspect.mutate({ token })).active;
}

export function codeOf(error: unknown): TwofoldErrorCode | undefined {
  return error instanceof TRPCClientError
    ? (error.data as { appCode?: TwofoldErrorCode }).appCode
    : undefined;
}

/** A password login: a session token, or the token of the second step. */
export async function logIn(username: string, password: string): Promise<string | undefined> {
  const result = await login({ client: rest, body: { username, password } });
  return result.data?.token ?? mfaTokenOf(result);
}

/** generate's answer passes to enable as it is: the document says both hold exactly six codes. */
export async function turnOnMfa(code: string): Promise<void> {
  const { data } = await generateMfa({ client: rest, throwOnError: true });
  await enableMfa({
    client: rest,
    body: { code, secret: data.secret, recovery_codes: data.recovery_codes },
    throwOnError: true,
  });
}
