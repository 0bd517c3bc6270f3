import { Agent, request as httpRequest } from 'node:http';
import type { HttpResult, RequestOptions } from './http.js';

/**
 * A keep-alive client whose connections leave from `localAddress`. Linux routes all of
 * 127.0.0.0/8 to the loopback interface, so `127.0.0.2` is a second client address on one
 * machine, without TRUST_PROXY.
 */
export interface AddressClient {
  request(method: string, path: string, options?: RequestOptions): Promise<HttpResult>;
  close(): void;
}

export function clientFrom(baseUrl: string, localAddress: string, maxSockets = 64): AddressClient {
  const { hostname, port } = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets, localAddress });
  const send = (method: string, path: string, options: RequestOptions): Promise<HttpResult> => {
    const headers: Record<string, string> = { ...options.headers };
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: hostname, port: Number(port), method, path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (typeof value === 'string') responseHeaders.set(name, value);
            else if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: responseHeaders,
            text,
            json,
            ms: performance.now() - started,
          });
        });
      });
      // The server may close an idle keep-alive socket just as it is reused (Node's docs:
      // retry then); any other error is the test's to see.
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (req.reusedSocket && error.code === 'ECONNRESET')
          send(method, path, options).then(resolve, reject);
        else reject(error);
      });
      req.end(payload);
    });
  };
  return {
    request: (method, path, options = {}) => send(method, path, options),
    close: () => agent.destroy(),
  };
}
