import {
  createTwofoldTrpcClient,
  TRPCClientError,
  type TwofoldErrorData,
  type TwofoldInputs,
  type TwofoldOutputs,
} from '@twofold/client';

export type RouterInputs = TwofoldInputs;
export type RouterOutputs = TwofoldOutputs;
export type Profile = RouterOutputs['auth']['me'];
export type EmailStatus = RouterOutputs['user']['emailStatus'];

/**
 * The session lives in an HttpOnly cookie set by the server, never in script-readable storage:
 * `x-twofold-session: cookie` asks for it, and `x-twofold-csrf: 1` is the header a cross-site
 * form cannot send, which the server requires on every state change authenticated by cookie.
 */
const WEB_CLIENT_HEADERS = { 'x-twofold-session': 'cookie', 'x-twofold-csrf': '1' } as const;

/** Types come from the client package's AppRouter, proven equal to the server's router. */
export const trpc = createTwofoldTrpcClient({ url: '/', headers: WEB_CLIENT_HEADERS });

export interface Failure {
  message: string;
  /** The domain code (`INVALID_CODE`, …), when the server sent one. */
  code: string | undefined;
  /** Per-field reasons, keyed like the procedure's input. */
  fields: Record<string, string>;
}

/** A failure raised in the browser, not by the server (a cancelled security key prompt). */
export class ClientFailure extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ClientFailure';
  }
}

function minutesFrom(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return minutes <= 1 ? 'a minute' : `${minutes} minutes`;
}

/** The readable message and per-field reasons of a failed call. */
export function describeFailure(error: unknown): Failure {
  if (error instanceof TRPCClientError) {
    const data: Partial<TwofoldErrorData> = error.data ?? {};
    const fields = Object.fromEntries(
      Object.entries(data.fields ?? {}).map(([field, reason]) => [field, capitalize(reason)]),
    );
    if (data.appCode === 'TOO_MANY_ATTEMPTS' && data.lockout) {
      const message = `Too many failed attempts. Try again in ${minutesFrom(data.lockout.retryAfterSeconds)}.`;
      return { message, code: data.appCode, fields };
    }
    if (data.appCode === 'INTERNAL' || !data.appCode) {
      const offline = error.cause instanceof TypeError;
      const message = offline ? 'Cannot reach the server. Check your connection.' : error.message;
      return { message: capitalize(message), code: data.appCode, fields };
    }
    return { message: capitalize(error.message), code: data.appCode, fields };
  }
  if (error instanceof ClientFailure) return { message: error.message, code: error.code, fields: {} };
  return { message: 'Something went wrong. Try again.', code: undefined, fields: {} };
}

function capitalize(text: string): string {
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
