import { appRouter, restRoutes } from '@twofold/api';
import { type HttpResult, request } from './http.js';

/** Protected tRPC procedures of the brief's contract, as far as the router has them today. */
const PROTECTED_PROCEDURES = [
  'auth.me',
  'mfa.generate',
  'mfa.enable',
  'mfa.disable',
  'user.update',
  'user.reauth',
  'user.securityEvents',
  'user.sessions.list',
  'user.sessions.end',
  'user.sessions.endOthers',
  'user.trustedDevices.list',
  'user.trustedDevices.revoke',
] as const;

const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;

function protectedProcedures(): { path: string; type: string }[] {
  return PROTECTED_PROCEDURES.filter((path) => path in procedures).map((path) => ({
    path,
    type: procedures[path]!._def.type,
  }));
}

/** Concrete path of a REST route (placeholders filled with a plausible id). */
export function concretePath(path: string): string {
  return path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
}

const protectedRestRoutes = () => restRoutes.filter((route) => route.isProtected);

/** Calls every protected REST route and tRPC procedure with `headers`; returns what each answered. */
export async function callEveryProtected(
  baseUrl: string,
  headers: Record<string, string>,
): Promise<{ name: string; result: HttpResult }[]> {
  const calls: { name: string; result: Promise<HttpResult> }[] = [];
  for (const route of protectedRestRoutes()) {
    calls.push({
      name: `${route.method} ${route.path}`,
      result: request(baseUrl, route.method, concretePath(route.path), {
        headers,
        ...(route.method === 'GET' ? {} : { body: {} }),
      }),
    });
  }
  for (const { path, type } of protectedProcedures()) {
    calls.push({
      name: `trpc ${path}`,
      result:
        type === 'query'
          ? request(baseUrl, 'GET', `/trpc/${path}`, { unchecked: true, headers })
          : request(baseUrl, 'POST', `/trpc/${path}`, { unchecked: true, headers, body: {} }),
    });
  }
  return Promise.all(calls.map(async ({ name, result }) => ({ name, result: await result })));
}

/** The domain code of a REST error body or a tRPC error envelope. */
export function appCodeOf(result: HttpResult): string | undefined {
  const json = result.json as
    | { code?: unknown; error?: { data?: { appCode?: string } } }
    | { error?: { data?: { appCode?: string } } }[]
    | undefined;
  if (Array.isArray(json)) return json[0]?.error?.data?.appCode;
  if (json?.error) return json.error.data?.appCode;
  return typeof json?.code === 'string' ? json.code : undefined;
}
