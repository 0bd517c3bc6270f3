import type { IncomingMessage } from 'node:http';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import proxyaddr from 'proxy-addr';
import type { TrustFunction } from './trust-proxy.js';

interface NodeBindings {
  incoming?: { socket?: unknown };
}

/** The TCP peer's address; undefined where no socket exists (`app.request` in tests). */
export function peerAddressOf(c: Context): string | undefined {
  const env = c.env as NodeBindings | undefined;
  if (!env?.incoming?.socket) return undefined;
  return getConnInfo(c).remote.address;
}

/**
 * The peer, then X-Forwarded-For read from the right, up to and including the first hop that
 * is not a trusted proxy (proxy-addr's order). What the client wrote sits on the left, so it
 * is reached only when every hop after it is trusted.
 */
function hopsOf(c: Context, peer: string, trust: TrustFunction): string[] {
  // proxy-addr reads only these two fields of a Node request.
  const request = {
    socket: { remoteAddress: peer },
    headers: { 'x-forwarded-for': c.req.header('x-forwarded-for') },
  };
  return proxyaddr.all(request as unknown as IncomingMessage, trust);
}

/**
 * The client address: the socket's, or, behind trusted proxies (TRUST_PROXY), the first
 * X-Forwarded-For address from the right that is not a trusted proxy. Without TRUST_PROXY
 * the header is ignored, so a client cannot pick its own address to dodge lockouts.
 */
export function clientAddressOf(c: Context, trust: TrustFunction | undefined): string {
  const peer = peerAddressOf(c);
  if (peer === undefined) return 'unknown';
  if (!trust) return peer;
  return hopsOf(c, peer, trust).at(-1) ?? peer;
}

/**
 * The request came over https: TLS on this socket, or the outermost trusted proxy says so in
 * X-Forwarded-Proto. Proxies that append write that header right to left like
 * X-Forwarded-For, so the entry of the outermost trusted hop is taken; a client's own entry
 * (further left) never counts.
 */
export function isHttpsRequest(c: Context, trust: TrustFunction | undefined): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  const peer = peerAddressOf(c);
  const forwardedProto = c.req.header('x-forwarded-proto');
  if (!trust || peer === undefined || forwardedProto === undefined) return false;
  const trustedHops = hopsOf(c, peer, trust).length - 1;
  if (trustedHops === 0) return false;
  const protos = forwardedProto
    .split(',')
    .map((proto) => proto.trim().toLowerCase())
    .reverse();
  // A proxy that sets rather than appends leaves one entry: its own.
  return protos[Math.min(trustedHops, protos.length) - 1] === 'https';
}
