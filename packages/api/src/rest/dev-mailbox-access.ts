import type { Context } from 'hono';
import proxyaddr from 'proxy-addr';
import { peerAddressOf } from './client-address.js';

const isLoopback = proxyaddr.compile('loopback');

/** Any of them means a proxy relayed the request, whatever its TCP peer. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const;

/**
 * docs/contract.md § Email: the development mailbox answers only a client on this machine
 * talking to the server directly. A reverse proxy on the same host makes every internet request
 * arrive from loopback, so a request carrying a forwarding header is refused too.
 */
export function isDirectLoopbackRequest(c: Context): boolean {
  const peer = peerAddressOf(c);
  if (peer === undefined || !isLoopback(peer, 0)) return false;
  return FORWARDING_HEADERS.every((name) => c.req.header(name) === undefined);
}
