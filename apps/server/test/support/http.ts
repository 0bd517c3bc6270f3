export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body, or undefined when empty or not JSON. */
  json: unknown;
  ms: number;
}

export interface RequestOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

/** One JSON request over real HTTP. */
export async function request(
  baseUrl: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const started = performance.now();
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json, ms };
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
  const res = await request(baseUrl, 'POST', '/api/register', { body });
  if (res.status !== 200) throw new Error(`register failed: ${res.status} ${res.text}`);
  const auth = res.json as { id: string; token: string };
  return { id: auth.id, username: unique, email: body.email, password: body.password, token: auth.token };
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
