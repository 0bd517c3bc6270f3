// Invariant: behind a proxy that appends to X-Forwarded-For, the client address is the first untrusted hop from the right (proxy-addr), so an address the client writes itself never buys a fresh password budget; without TRUST_PROXY the header is ignored.
import { PASSWORD_POLICY } from '@twofold/core';
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

let spoof = 0;
/** A fresh fake client address each time, written where a client can write it: leftmost. */
const rotatingFakeAddress = () => {
  spoof += 1;
  return { 'x-forwarded-for': `203.0.113.${spoof % 250}`, 'x-real-ip': `198.51.100.${spoof % 250}` };
};

/** 5 wrong passwords, then the right one, each with a new fake address; the answers. */
async function guessThenLogin(baseUrl: string): Promise<number[]> {
  const victim = await registerAccount(baseUrl, 'px');
  const statuses: number[] = [];
  for (let i = 0; i < PASSWORD_POLICY.maxFailures; i++) {
    const body = { username: victim.username, password: `guess-${i}` };
    statuses.push(
      (await request(baseUrl, 'POST', '/api/login', { body, headers: rotatingFakeAddress() })).status,
    );
  }
  const body = { username: victim.username, password: victim.password };
  statuses.push(
    (await request(baseUrl, 'POST', '/api/login', { body, headers: rotatingFakeAddress() })).status,
  );
  return statuses;
}

const LOCKED_AFTER_FIVE = [...Array(PASSWORD_POLICY.maxFailures).fill(401), 429];

describe('TRUST_PROXY behind an appending proxy', () => {
  it('TRUST_PROXY=1: a rotating fake leftmost X-Forwarded-For through the proxy still gets 429 after 5 wrong passwords', async () => {
    server = await startTestServer({ env: { TRUST_PROXY: '1' } });
    proxy = await startAppendingProxy(server.url);
    expect(await guessThenLogin(proxy.url)).toEqual(LOCKED_AFTER_FIVE);
  });

  it('without TRUST_PROXY, X-Forwarded-For and X-Real-IP are ignored, through the proxy and directly', async () => {
    server = await startTestServer();
    proxy = await startAppendingProxy(server.url);
    expect(await guessThenLogin(proxy.url)).toEqual(LOCKED_AFTER_FIVE);
    expect(await guessThenLogin(server.url)).toEqual(LOCKED_AFTER_FIVE);
  });
});
