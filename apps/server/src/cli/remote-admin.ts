import type { UserAction } from './admin.js';
import { CliError, type CliOutput } from './output.js';

/**
 * `twofold admin --url … users <action>`: the admin REST API of a running server instead of the
 * local database (README § Administration). Each action is the route of the same operation
 * (docs/contract.md § Administration); the output is the same JSON the local command prints.
 */
export const REMOTE_USER_ACTIONS = {
  find: { method: 'GET', path: '' },
  events: { method: 'GET', path: '/events' },
  unlock: { method: 'POST', path: '/unlock' },
  'reset-mfa': { method: 'POST', path: '/mfa/reset' },
  'end-sessions': { method: 'POST', path: '/sessions/end' },
  disable: { method: 'POST', path: '/disable' },
  enable: { method: 'POST', path: '/enable' },
} as const satisfies Record<UserAction, { method: 'GET' | 'POST'; path: string }>;

/** An admin call waits this long for the server, then gives up with a clear message. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface RemoteTarget {
  url: string;
  key: string;
}

/** The server's base URL, checked: http(s), no query or fragment; a path prefix is kept. */
function baseUrlOf(raw: string): URL {
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (!url || !/^https?:$/.test(url.protocol) || url.search !== '' || url.hash !== '') {
    throw new CliError(`--url takes the server's base URL, e.g. https://auth.example.com; got "${raw}"`);
  }
  return url;
}

const isLoopback = (host: string) =>
  host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** The reason a fetch failed, as an operator reads it (ECONNREFUSED, ENOTFOUND, a timeout). */
function unreachable(url: URL, error: unknown): CliError {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new CliError(`no answer from ${url.origin} within ${REQUEST_TIMEOUT_MS / 1000} s`);
  }
  const cause =
    error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new CliError(`cannot reach ${url.origin}: ${reason}`);
}

/** What a refusal means for the operator, by status, with the server's own message. */
function refusal(status: number, body: { code?: unknown; message?: unknown } | undefined): CliError {
  const said = typeof body?.message === 'string' ? body.message : 'no message';
  const code = typeof body?.code === 'string' ? body.code : 'no code';
  if (status === 401) {
    return new CliError(
      `the server refused the admin key (401 ${code}): it is missing, malformed, wrong, expired or revoked`,
    );
  }
  if (status === 403) return new CliError(`the admin key may not do this (403 ${code}): ${said}`);
  return new CliError(`the server answered ${status} ${code}: ${said}`);
}

export async function remoteUserCommand(
  target: RemoteTarget,
  action: UserAction,
  user: string,
  out: CliOutput,
): Promise<void> {
  const base = baseUrlOf(target.url);
  if (base.protocol === 'http:' && !isLoopback(base.hostname)) {
    out.info(`warning: ${base.origin} is plain http: the admin key crosses the network unencrypted`);
  }
  const { method, path } = REMOTE_USER_ACTIONS[action];
  const prefix = base.pathname.replace(/\/+$/, '');
  const url = new URL(
    `${prefix}/api/admin/users/${encodeURIComponent(user.trim().toLowerCase())}${path}`,
    base.origin,
  );
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${target.key}`, accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw unreachable(base, error);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new CliError(
      `${base.origin} answered ${response.status} with something other than JSON: is it a Twofold server?`,
    );
  }
  if (!response.ok) throw refusal(response.status, body as { code?: unknown; message?: unknown } | undefined);
  out.result(JSON.stringify(body, null, 2));
}
