import type { ResponseValidator } from './openapi-validator.js';

export interface RestResult<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON body; undefined when the body is empty. */
  body: T;
  text: string;
}

interface RestRequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Serialised as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** Sent as is, with `contentType` (for malformed-body tests). */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export type RestClient = <T = unknown>(
  method: string,
  path: string,
  options?: RestRequestOptions,
) => Promise<RestResult<T>>;

/**
 * Plain `fetch` against a listening server, as any HTTP client would; every response is
 * checked against the OpenAPI document before the test sees it.
 */
export function createRestClient(baseUrl: string, validator: ResponseValidator): RestClient {
  return async <T>(method: string, path: string, options: RestRequestOptions = {}) => {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    } else if (options.raw !== undefined) {
      body = options.raw;
      if (options.contentType) headers['content-type'] = options.contentType;
    }
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    const request =
      options.json !== undefined
        ? { kind: 'json' as const, value: options.json }
        : options.raw !== undefined
          ? { kind: 'raw' as const }
          : { kind: 'none' as const };
    validator.validate({ method, path, status: response.status, headers: response.headers, text, request });
    const isJson = /^application\/json/i.test(response.headers.get('content-type') ?? '');
    return {
      status: response.status,
      headers: response.headers,
      body: (text !== '' && isJson ? JSON.parse(text) : undefined) as T,
      text,
    };
  };
}
