import { Agent } from 'node:http';
import { type HttpResult, type RequestOptions, request } from './http.js';

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
  const agent = new Agent({ keepAlive: true, maxSockets, localAddress });
  return {
    request: (method, path, options = {}) => request(baseUrl, method, path, { ...options, agent }),
    close: () => agent.destroy(),
  };
}
