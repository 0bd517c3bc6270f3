import type { ErrorCode } from '@twofold/core';
import { ZErrorBody } from '../rest/error-response.js';
import type { RestRoute } from '../rest/route.js';
import { CSRF_HEADER, SESSION_COOKIE } from '../session/session-cookie.js';
import { errorCodesByStatus, errorCodesOf, pathParamsOf } from './error-codes.js';
import { isResponseHeaderName, RESPONSE_HEADERS } from './headers.js';
import { type JsonSchema, SchemaComponents } from './json-schema.js';

const OPENAPI_VERSION = '3.1.0';
const JWT_SECURITY_SCHEME = 'jwt';
const COOKIE_SECURITY_SCHEME = 'sessionCookie';
const ADMIN_KEY_SECURITY_SCHEME = 'adminKey';
const JSON_TYPE = 'application/json';

const STATUS_TEXT: Record<number, string> = {
  200: 'Success',
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

/** Headers every 429 carries (docs/contract.md § Conventions). */
const LOCKOUT_HEADERS = ['Retry-After', 'X-Account-Lockout'] as const;
/** Headers every 503 carries: when to try again (docs/contract.md § Conventions). */
const UNAVAILABLE_HEADERS = ['Retry-After'] as const;

interface OpenApiHeader {
  description: string;
  required?: boolean;
  schema: JsonSchema;
}

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, OpenApiHeader>;
  content?: Record<string, { schema: JsonSchema }>;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  tags: string[];
  security?: Record<string, string[]>[];
  parameters?: {
    name: string;
    in: 'path';
    required: true;
    description?: string;
    schema: JsonSchema;
  }[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, OpenApiResponse>;
}

export interface OpenApiDocument {
  openapi: typeof OPENAPI_VERSION;
  info: { title: string; version: string; description: string };
  tags: { name: string }[];
  paths: Record<string, Partial<Record<Lowercase<RestRoute['method']>, OpenApiOperation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, Record<string, string>>;
  };
}

export interface BuildOpenApiOptions {
  title?: string;
  version?: string;
}

/**
 * The OpenAPI 3.1 document of the REST API, generated from the route table: the same
 * table mounts the routes, so the document cannot drift from what is served.
 */
export function buildOpenApiDocument(
  routes: readonly RestRoute[],
  options: BuildOpenApiOptions = {},
): OpenApiDocument {
  const components = new SchemaComponents();
  const errorRef = components.ref(ZErrorBody, 'output', 'Error');
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    const item = paths[route.path] ?? {};
    const method = route.method.toLowerCase() as Lowercase<RestRoute['method']>;
    if (item[method]) throw new Error(`two routes for ${route.method} ${route.path}`);
    item[method] = operationOf(route, components, errorRef);
  }
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: options.title ?? 'Twofold',
      version: options.version ?? '0.1.0',
      description:
        'Password login, TOTP, single-use recovery codes and MFA reset by email. Every error ' +
        'body is `{ message, code, fields? }`; `code` is stable, `fields` names malformed fields.',
    },
    tags: [...new Set(routes.flatMap((route) => route.tags))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: {
        [JWT_SECURITY_SCHEME]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        [COOKIE_SECURITY_SCHEME]: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE.name,
          description:
            `The web app's HttpOnly session (\`${SESSION_COOKIE.secureName}\` when PUBLIC_URL is https). ` +
            `A state change authenticated by it must send \`${CSRF_HEADER}: 1\`, else 403 CSRF_REJECTED.`,
        },
        [ADMIN_KEY_SECURITY_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'tfa_<id>_<secret>',
          description:
            "An operator's admin key, made with `twofold admin keys create`. Each admin operation " +
            'lists the scope it needs; a missing, wrong, expired or revoked key is 401 ' +
            'UNAUTHENTICATED, a key without the scope 403 INSUFFICIENT_SCOPE. Never a cookie.',
        },
      },
    },
  };
}

function operationOf(route: RestRoute, components: SchemaComponents, errorRef: JsonSchema): OpenApiOperation {
  const name = pascalCase(route.operationId);
  const operation: OpenApiOperation = {
    operationId: route.operationId,
    summary: route.summary,
    tags: [...route.tags],
    responses: {},
  };
  if (route.isProtected && route.adminScope) {
    throw new Error(`${route.operationId}: a route takes a session or an admin key, not both`);
  }
  if (route.isProtected && route.isSessionOptional) {
    throw new Error(`${route.operationId}: a session is required or optional, not both`);
  }
  const sessionSchemes: Record<string, string[]>[] = [
    { [JWT_SECURITY_SCHEME]: [] },
    { [COOKIE_SECURITY_SCHEME]: [] },
  ];
  if (route.isProtected) operation.security = sessionSchemes;
  // OpenAPI 3.1 §4.8.30: an empty requirement makes the others optional.
  if (route.isSessionOptional) operation.security = [...sessionSchemes, {}];
  // OpenAPI 3.1 lets a non-OAuth requirement name the roles it needs: here the key's scope.
  if (route.adminScope) operation.security = [{ [ADMIN_KEY_SECURITY_SCHEME]: [route.adminScope] }];

  const params = pathParamsOf(route.path);
  if (params.length > 0) {
    operation.parameters = params.map((param) => ({
      name: param,
      in: 'path',
      required: true,
      ...(route.pathParams?.[param] ? { description: route.pathParams[param] } : {}),
      schema: { type: 'string', minLength: 1 },
    }));
  }

  if (route.requestBody) {
    operation.requestBody = {
      // An empty body reaches the procedure as `undefined`: optional only if something accepts that.
      required: !(route.isBodyOptional || route.requestBody.safeParse(undefined).success),
      content: { [JSON_TYPE]: { schema: components.ref(route.requestBody, 'input', `${name}Request`) } },
    };
  }

  operation.responses['200'] = {
    description: route.responseBody ? (STATUS_TEXT[200] ?? 'Success') : 'Success, with an empty body.',
    ...mergedHeaders(
      headersOf(route, route.responseHeaders ?? [], true),
      headersOf(route, route.optionalResponseHeaders ?? [], false),
    ),
    ...(route.responseBody
      ? {
          content: {
            [JSON_TYPE]: { schema: components.ref(route.responseBody, 'output', `${name}Response`) },
          },
        }
      : {}),
  };

  const byStatus = errorCodesByStatus(errorCodesOf(route));
  for (const status of Object.keys(route.errorHeaders ?? {}).map(Number)) {
    if (!byStatus.has(status)) {
      throw new Error(`${route.operationId}: headers for status ${status}, which it never answers`);
    }
  }
  for (const [status, codes] of byStatus)
    operation.responses[String(status)] = errorResponseOf(route, status, codes, errorRef);
  return operation;
}

function errorResponseOf(
  route: RestRoute,
  status: number,
  codes: readonly ErrorCode[],
  errorRef: JsonSchema,
): OpenApiResponse {
  const required = status === 429 ? LOCKOUT_HEADERS : status === 503 ? UNAVAILABLE_HEADERS : [];
  const lockoutHeaders = headersOf(route, required, true).headers ?? {};
  const extraHeaders = headersOf(route, route.errorHeaders?.[status] ?? [], false).headers;
  const headers = { ...lockoutHeaders, ...extraHeaders };
  return {
    description: `${STATUS_TEXT[status] ?? `Status ${status}`}: ${codes.join(', ')}.`,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    content: {
      [JSON_TYPE]: {
        schema: { allOf: [errorRef, { type: 'object', properties: { code: { enum: [...codes] } } }] },
      },
    },
  };
}

function headersOf(
  route: RestRoute,
  names: readonly string[],
  required: boolean,
): { headers?: Record<string, OpenApiHeader> } {
  if (names.length === 0) return {};
  const headers: Record<string, OpenApiHeader> = {};
  for (const name of names) {
    if (!isResponseHeaderName(name)) throw new Error(`${route.operationId}: undocumented header ${name}`);
    headers[name] = { ...RESPONSE_HEADERS[name], required };
  }
  return { headers };
}

function mergedHeaders(...parts: { headers?: Record<string, OpenApiHeader> }[]): {
  headers?: Record<string, OpenApiHeader>;
} {
  const headers = Object.assign({}, ...parts.map((part) => part.headers));
  return Object.keys(headers).length > 0 ? { headers } : {};
}

/** `enableMFA` → `EnableMFA` */
function pascalCase(operationId: string): string {
  return operationId.charAt(0).toUpperCase() + operationId.slice(1);
}
