import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

export type Listener = ReturnType<typeof serve>;
type Fetch = (request: Request, env: unknown) => Response | Promise<Response>;

/**
 * `HOST=localhost` (the default) listens on both loopback addresses, so a browser reaches the
 * server at `http://localhost:PORT` whether `localhost` resolves to 127.0.0.1 or ::1 (WebAuthn
 * refuses an IP address as RP ID, so the default PUBLIC_URL names `localhost`). Any other HOST is
 * one address.
 */
export const DEFAULT_HOST = 'localhost';

function listenAddressesOf(host: string): { primary: string; extra: string[] } {
  return host === DEFAULT_HOST ? { primary: '127.0.0.1', extra: ['::1'] } : { primary: host, extra: [] };
}

/** Whether links may name `localhost` for this listening host. */
export function isLoopbackHost(host: string): boolean {
  return host === DEFAULT_HOST || host === '::1' || /^127\./.test(host);
}

function listenOn(fetch: Fetch, port: number, hostname: string): Promise<Listener> {
  return new Promise<Listener>((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, () => resolve(server));
    server.once('error', reject);
  });
}

/**
 * Binds the primary address (PORT=0 picks a port there), then the extra ones on that same port.
 * An extra address that cannot be bound (IPv6 off, port taken there) is reported, not fatal:
 * 127.0.0.1 alone serves as before.
 */
export async function listenAll(
  fetch: Fetch,
  port: number,
  host: string,
  onExtraFailed: (address: string, error: unknown) => void,
): Promise<{ listeners: Listener[]; port: number }> {
  const { primary, extra } = listenAddressesOf(host);
  const first = await listenOn(fetch, port, primary);
  const bound = (first.address() as AddressInfo).port;
  const listeners = [first];
  for (const address of extra) {
    try {
      listeners.push(await listenOn(fetch, bound, address));
    } catch (error) {
      onExtraFailed(address, error);
    }
  }
  return { listeners, port: bound };
}
