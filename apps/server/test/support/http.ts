import { type Agent, request as httpRequest } from 'node:http';
import { buildOpenApiDocument, restRoutes } from '@twofold/api';
import { ResponseValidator } from './openapi-validator.js';

/** The document every server serves at /api/openapi.json (docs/contract.md): built once per worker. */
const openApiValidator = new ResponseValidator(buildOpenApiDocument(restRoutes));

export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body, or undefined when empty or not JSON. */
  json: T;
  ms: number;
}

export interface RequestOptions {
  /** Serialised as JSON with `Content-Type: application/json`. */
  body?: unknown;
  /** Sent as is, with `contentType` when given (malformed-body tests). */
  raw?: string;
  contentType?: string;
  token?: string;
  headers?: Record<string, string>;
  /** Sends over node:http with this agent (a client address of its own, a keep-alive pool) instead of fetch. */
  agent?: Agent;
  /**
   * Skips the OpenAPI check: only for what the document does not describe (tRPC, /healthz,
   * /metrics, /dev pages, unknown paths and methods). Every other response must be one the
   * document promises, else the call throws.
   */
  unchecked?: boolean;
}

/** One request over real HTTP; the response is validated against the OpenAPI document. */
export async function request<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const body = options.body !== undefined ? JSON.stringify(options.body) : options.raw;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  else if (options.contentType !== undefined) headers['content-type'] = options.contentType;
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const started = performance.now();
  const response = options.agent
    ? await sendWithAgent(options.agent, new URL(path, baseUrl), method, headers, body)
    : await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  const ms = performance.now() - started;
  if (!options.unchecked) {
    const sent =
      options.body !== undefined
        ? { kind: 'json' as const, value: options.body }
        : { kind: options.raw === undefined ? ('none' as const) : ('raw' as const) };
    openApiValidator.validate({
      method,
      path,
      status: response.status,
      headers: response.headers,
      text,
      request: sent,
    });
  }
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json: json as T, ms };
}

/** One request through a node:http agent, answered as fetch would answer it. */
function sendWithAgent(
  agent: Agent,
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const { hostname: host, port, pathname, search } = url;
    const req = httpRequest({ host, port, method, path: pathname + search, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const one of Array.isArray(value) ? value : [value ?? '']) responseHeaders.append(name, one);
        }
        const status = res.statusCode ?? 0;
        resolve(
          new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), {
            status,
            headers: responseHeaders,
          }),
        );
      });
    });
    // The server may close an idle keep-alive socket just as it is reused (Node's docs: retry
    // then); any other error is the test's to see.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (req.reusedSocket && error.code === 'ECONNRESET')
        sendWithAgent(agent, url, method, headers, body).then(resolve, reject);
      else reject(error);
    });
    req.end(body);
  });
}

let sequence = 0;

export interface Account {
  id: string;
  username: string;
  email: string;
  password: string;
  token: string;
}

/** Registers a fresh account over HTTP. */
export async function registerAccount(baseUrl: string, tag = 'u'): Promise<Account> {
  sequence += 1;
  const unique = `${tag}${Date.now().toString(36)}${sequence}`.toLowerCase().slice(0, 28);
  const body = {
    name: `Test ${unique}`,
    email: `${unique}@example.test`,
    username: unique,
    password: `pw-${unique}-long-enough`,
  };
  const res = await request<{ id: string; token: string }>(baseUrl, 'POST', '/api/register', { body });
  if (res.status !== 200) throw new Error(`register failed: ${res.status} ${res.text}`);
  return {
    id: res.json.id,
    username: unique,
    email: body.email,
    password: body.password,
    token: res.json.token,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Every error body of the contract: `{ message, code, fields? }`. */
export function isErrorEnvelope(json: unknown): json is { message: string; code: string } {
  if (typeof json !== 'object' || json === null) return false;
  const { message, code } = json as Record<string, unknown>;
  return typeof message === 'string' && typeof code === 'string' && /^[A-Z_]+$/.test(code);
}
