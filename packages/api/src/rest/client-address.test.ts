import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientAddressOf, isHttpsRequest } from './client-address.js';
import { compileTrustProxy, type TrustProxy } from './trust-proxy.js';

/** What the server computes for a request from `peer` (the socket) with `headers`. */
async function seen(trustProxy: TrustProxy | undefined, peer: string, headers: Record<string, string> = {}) {
  const trust = trustProxy ? compileTrustProxy(trustProxy) : undefined;
  const app = new Hono().get('/', (c) =>
    c.json({ address: clientAddressOf(c, trust), isHttps: isHttpsRequest(c, trust) }),
  );
  const response = await app.request('/', { headers }, { incoming: { socket: { remoteAddress: peer } } });
  return (await response.json()) as { address: string; isHttps: boolean };
}

const chain = { 'x-forwarded-for': '198.51.100.9, 203.0.113.5, 10.0.0.2' };

describe('clientAddressOf (proxy-addr semantics)', () => {
  it('without trust: the socket peer, whatever the headers say', async () => {
    expect((await seen(undefined, '10.0.0.1', chain)).address).toBe('10.0.0.1');
  });

  it('hops: the first address from the right past that many trusted hops', async () => {
    expect((await seen({ hops: 1 }, '10.0.0.1', chain)).address).toBe('10.0.0.2');
    expect((await seen({ hops: 2 }, '10.0.0.1', chain)).address).toBe('203.0.113.5');
    expect((await seen({ hops: 1 }, '10.0.0.1')).address).toBe('10.0.0.1');
  });

  it('a list: the first hop from the right that is not in it; the leftmost only when all others are', async () => {
    expect((await seen({ addresses: ['uniquelocal'] }, '10.0.0.1', chain)).address).toBe('203.0.113.5');
    expect((await seen({ addresses: ['10.0.0.0/8', '203.0.113.5'] }, '10.0.0.1', chain)).address).toBe(
      '198.51.100.9',
    );
    // A peer that is no trusted proxy is the client, whatever it forwards.
    expect((await seen({ addresses: ['loopback'] }, '10.0.0.1', chain)).address).toBe('10.0.0.1');
  });

  it('refuses malformed list entries when compiled', () => {
    expect(() => compileTrustProxy({ addresses: ['not-an-address'] })).toThrow(TypeError);
    expect(() => compileTrustProxy({ addresses: ['10.0.0.0/99'] })).toThrow(TypeError);
  });
});

describe('isHttpsRequest', () => {
  it('believes X-Forwarded-Proto only from a trusted peer, taking the outermost trusted hop', async () => {
    const https = { 'x-forwarded-for': '198.51.100.9', 'x-forwarded-proto': 'https' };
    expect((await seen({ hops: 1 }, '10.0.0.1', https)).isHttps).toBe(true);
    expect((await seen(undefined, '10.0.0.1', https)).isHttps).toBe(false);
    expect((await seen({ addresses: ['192.0.2.1'] }, '10.0.0.1', https)).isHttps).toBe(false);
    // Appending proxy: the client wrote `https`, the proxy appended the real `http`.
    const appended = { 'x-forwarded-for': '198.51.100.9', 'x-forwarded-proto': 'https, http' };
    expect((await seen({ hops: 1 }, '10.0.0.1', appended)).isHttps).toBe(false);
    // Two trusted hops: the outer one terminated TLS.
    const twoHops = { 'x-forwarded-for': '198.51.100.9, 10.0.0.2', 'x-forwarded-proto': 'https, http' };
    expect((await seen({ hops: 2 }, '10.0.0.1', twoHops)).isHttps).toBe(true);
  });
});
