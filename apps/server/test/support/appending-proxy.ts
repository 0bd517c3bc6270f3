import { createServer, type OutgoingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AppendingProxy {
  url: string;
  close(): Promise<void>;
}

export interface AppendingProxyOptions {
  /** Appended to `X-Forwarded-Proto` (the scheme this proxy was reached by, e.g. `https` behind TLS). */
  forwardedProto?: string;
}

const append = (earlier: string | string[] | undefined, value: string) =>
  earlier === undefined ? value : `${[earlier].flat().join(', ')}, ${value}`;

/**
 * A reverse proxy on 127.0.0.1 in front of `target` that appends its peer to `X-Forwarded-For`
 * the way nginx's `$proxy_add_x_forwarded_for` (and HAProxy, and cloud load balancers) do:
 * whatever the client wrote stays on the left.
 */
export async function startAppendingProxy(
  target: string,
  options: AppendingProxyOptions = {},
): Promise<AppendingProxy> {
  const upstream = new URL(target);
  const server = createServer((incoming, outgoing) => {
    const headers: OutgoingHttpHeaders = { ...incoming.headers, host: upstream.host };
    headers['x-forwarded-for'] = append(
      incoming.headers['x-forwarded-for'],
      incoming.socket.remoteAddress ?? '',
    );
    if (options.forwardedProto) {
      headers['x-forwarded-proto'] = append(incoming.headers['x-forwarded-proto'], options.forwardedProto);
    }
    const forwarded = request(
      { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
