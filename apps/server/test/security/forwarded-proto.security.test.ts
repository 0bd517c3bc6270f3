// Invariant: the session cookie is Secure whenever the request came over https — directly, or as a trusted proxy says in X-Forwarded-Proto — and an X-Forwarded-Proto that an untrusted client wrote never counts.
import { afterEach, describe, expect, it } from 'vitest';
import { type AppendingProxy, startAppendingProxy } from '../support/appending-proxy.js';
import { registerAccount, request } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer | undefined;
let proxy: AppendingProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await server?.close();
  proxy = undefined;
  server = undefined;
});

/** A complete login in cookie mode (what the web app does); the session's Set-Cookie header. */
async function cookieLoginVia(baseUrl: string, headers: Record<string, string> = {}): Promise<string> {
  const account = await registerAccount(baseUrl, 'fp');
  const res = await request(baseUrl, 'POST', '/trpc/auth.login', {
    unchecked: true,
    body: { username: account.username, password: account.password },
    headers: { 'x-twofold-session': 'cookie', ...headers },
  });
  expect(res.status).toBe(200);
  // A login also sets the device cookie; this test is about the session cookie.
  const setCookie = res.headers.getSetCookie().find((cookie) => /twofold_session=[^;]+/.test(cookie));
  expect(setCookie).toBeDefined();
  return setCookie ?? '';
}

const isSecure = (setCookie: string) => /;\s*Secure(;|$)/i.test(setCookie);

describe('Secure session cookie', () => {
  it('is Secure when a trusted proxy reports https, though PUBLIC_URL is http', async () => {
    server = await startTestServer({ env: { TRUST_PROXY: '1' } });
    proxy = await startAppendingProxy(server.url, { forwardedProto: 'https' });
    const setCookie = await cookieLoginVia(proxy.url);
    expect(isSecure(setCookie)).toBe(true);
    // Secure cookies carry the __Host- prefix, and that is the name read back over https.
    expect(setCookie).toMatch(/^__Host-twofold_session=/);
    const session = /^__Host-twofold_session=([^;]+)/.exec(setCookie)?.[1];
    const me = await request(proxy.url, 'GET', '/trpc/auth.me', {
      unchecked: true,
      headers: { cookie: `__Host-twofold_session=${session}` },
    });
    expect(me.status).toBe(200);
  });

  it('is not Secure when the https claim was written by the client, not the trusted proxy', async () => {
    server = await startTestServer({ env: { TRUST_PROXY: '1' } });
    proxy = await startAppendingProxy(server.url, { forwardedProto: 'http' });
    expect(isSecure(await cookieLoginVia(proxy.url, { 'x-forwarded-proto': 'https' }))).toBe(false);
  });

  it('is not Secure for an X-Forwarded-Proto from a peer that is not a trusted proxy, or without TRUST_PROXY', async () => {
    server = await startTestServer({ env: { TRUST_PROXY: '192.0.2.1' } });
    expect(isSecure(await cookieLoginVia(server.url, { 'x-forwarded-proto': 'https' }))).toBe(false);
    await server.close();
    server = await startTestServer();
    expect(isSecure(await cookieLoginVia(server.url, { 'x-forwarded-proto': 'https' }))).toBe(false);
  });
});
