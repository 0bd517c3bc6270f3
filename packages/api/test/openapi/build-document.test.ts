import { validate } from '@readme/openapi-parser';
import { openTestCore, type StoreTestCore } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApiApp } from '../../src/app.js';
import { HTTP_STATUS_OF } from '../../src/errors/http-status.js';
import { silentLogger } from '../../src/logger.js';
import { buildOpenApiDocument, type OpenApiResponse } from '../../src/openapi/build-document.js';
import { errorCodesOf } from '../../src/openapi/error-codes.js';
import { defineRoute } from '../../src/rest/route.js';
import { restRoutes } from '../../src/rest/routes/index.js';

const document = buildOpenApiDocument(restRoutes);
const operations = restRoutes.map((route) => {
  const operation = document.paths[route.path]?.[route.method.toLowerCase() as 'get'];
  if (!operation) throw new Error(`${route.method} ${route.path} missing from the document`);
  return { route, operation };
});

function jsonSchemaOf(response: OpenApiResponse | undefined) {
  return response?.content?.['application/json']?.schema;
}

describe('OpenAPI document of the REST route table', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(document.openapi).toBe('3.1.0');
  });

  it('lists every route of the table, once, under its method, path and operationId', () => {
    const listed = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(
        ([method, operation]) => `${method.toUpperCase()} ${path} ${operation?.operationId}`,
      ),
    );
    expect(listed.sort()).toEqual(restRoutes.map((r) => `${r.method} ${r.path} ${r.operationId}`).sort());
    expect(new Set(restRoutes.map((r) => r.operationId)).size).toBe(restRoutes.length);
  });

  it('requires the jwt bearer scheme (or the web session cookie) exactly on protected routes, and offers it on logout', () => {
    expect(document.components.securitySchemes.jwt).toEqual({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(document.components.securitySchemes.sessionCookie).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'twofold_session',
    });
    for (const { route, operation } of operations) {
      const expected = route.isProtected
        ? [{ jwt: [] }, { sessionCookie: [] }]
        : route.isSessionOptional
          ? [{ jwt: [] }, { sessionCookie: [] }, {}]
          : route.adminScope
            ? [{ adminKey: [route.adminScope] }]
            : undefined;
      expect(operation.security, route.operationId).toEqual(expected);
      if (route.isProtected) expect(Object.keys(operation.responses)).toContain('401');
    }
    // A client must know to send its token to logout, which ends the session it names.
    expect(document.paths['/api/logout']?.post?.security).toEqual([{ jwt: [] }, { sessionCookie: [] }, {}]);
  });

  it('requires the adminKey bearer scheme with its scope on every admin route, with 401 and 403', () => {
    expect(document.components.securitySchemes.adminKey).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'tfa_<id>_<secret>',
    });
    const adminOperations = operations.filter(({ route }) => route.path.startsWith('/api/admin/'));
    expect(adminOperations.map(({ route }) => route.operationId).sort()).toEqual([
      'adminClearLockouts',
      'adminDisableUser',
      'adminEnableUser',
      'adminEndSessions',
      'adminFindUser',
      'adminListUserEvents',
      'adminResetMfa',
    ]);
    for (const { route, operation } of adminOperations) {
      expect(route.adminScope, route.operationId).toBeDefined();
      expect(operation.security).toEqual([{ adminKey: [route.adminScope] }]);
      expect(jsonSchemaOf(operation.responses['401'])).toMatchObject({
        allOf: [
          expect.anything(),
          { properties: { code: { enum: expect.arrayContaining(['UNAUTHENTICATED']) } } },
        ],
      });
      expect(jsonSchemaOf(operation.responses['403'])).toMatchObject({
        allOf: [
          expect.anything(),
          { properties: { code: { enum: expect.arrayContaining(['INSUFFICIENT_SCOPE']) } } },
        ],
      });
    }
    expect(operations.filter(({ route }) => route.adminScope).length).toBe(adminOperations.length);
  });

  it('documents every error status of an operation with the error model, narrowed to its codes', () => {
    expect(document.components.schemas.Error).toMatchObject({
      type: 'object',
      required: ['message', 'code'],
      properties: { message: { type: 'string' }, code: { type: 'string' }, fields: { type: 'object' } },
    });
    for (const { route, operation } of operations) {
      const codes = errorCodesOf(route);
      const statuses = [...new Set(codes.map((code) => HTTP_STATUS_OF[code]))];
      expect(Object.keys(operation.responses).sort(), route.operationId).toEqual(
        ['200', ...statuses.map(String)].sort(),
      );
      for (const status of statuses) {
        const schema = jsonSchemaOf(operation.responses[String(status)]);
        expect(schema, `${route.operationId} ${status}`).toEqual({
          allOf: [
            { $ref: '#/components/schemas/Error' },
            {
              type: 'object',
              properties: { code: { enum: codes.filter((code) => HTTP_STATUS_OF[code] === status) } },
            },
          ],
        });
      }
      expect(operation.responses['500']).toBeDefined();
    }
  });

  it('documents the headers clients read: X-MFA-Token, X-Account-Lockout, Retry-After', () => {
    const login = document.paths['/api/login']?.post;
    expect(login?.responses['200']?.headers?.['X-Account-Lockout']).toMatchObject({
      required: true,
      schema: { type: 'integer' },
    });
    expect(login?.responses['401']?.headers?.['X-MFA-Token']).toMatchObject({ schema: { format: 'uuid' } });
    expect(login?.responses['429']?.headers).toMatchObject({
      'Retry-After': { required: true, schema: { type: 'integer', minimum: 1 } },
      'X-Account-Lockout': { required: true },
    });
    for (const { route, operation } of operations) {
      if (!operation.responses['429']) continue;
      expect(Object.keys(operation.responses['429'].headers ?? {}), route.operationId).toEqual(
        expect.arrayContaining(['Retry-After', 'X-Account-Lockout']),
      );
    }
  });

  it('says the recovery codes it answers are exactly six, as enable takes them (a typed client needs no cast)', () => {
    const codesOf = (name: string) =>
      (document.components.schemas[name]?.properties as Record<string, unknown> | undefined)?.recovery_codes;
    const exactlySix = { type: 'array', minItems: 6, maxItems: 6 };
    for (const name of [
      'GenerateMFAResponse',
      'RegenerateRecoveryCodesResponse',
      'WebauthnRegisterResponse',
    ]) {
      expect(codesOf(name), name).toMatchObject({ ...exactlySix, items: { pattern: '^[A-Z2-7]{16}$' } });
    }
    expect(codesOf('EnableMFARequest')).toMatchObject(exactlySix);
  });

  it('describes request bodies as zod input types and responses as output types', () => {
    const login = document.paths['/api/login']?.post;
    expect(login?.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/LoginRequest' } } },
    });
    expect(document.components.schemas.LoginRequest).toMatchObject({
      type: 'object',
      required: ['username', 'password'],
    });
    expect(jsonSchemaOf(login?.responses['200'])).toEqual({ $ref: '#/components/schemas/UserAuth' });
    expect(document.components.schemas.UserAuth).toMatchObject({
      title: 'UserAuth',
      additionalProperties: false,
      required: ['token', 'id', 'origin', 'user', 'name', 'email', 'recovery_email', 'mfa', 'admin'],
    });
  });

  it('says every request body refuses unknown fields and lists the extras ShellHub documents', () => {
    const bodies = operations.flatMap(({ operation }) => {
      const ref = operation.requestBody?.content['application/json']?.schema.$ref;
      return typeof ref === 'string' ? [[operation.operationId, ref.split('/').pop() ?? ''] as const] : [];
    });
    expect(bodies.length).toBeGreaterThan(5);
    for (const [operationId, name] of bodies) {
      expect(document.components.schemas[name], operationId).toMatchObject({ additionalProperties: false });
    }
    const propertiesOf = (name: string) =>
      Object.keys((document.components.schemas[name]?.properties as Record<string, unknown>) ?? {});
    expect(propertiesOf('RegisterRequest')).toEqual(expect.arrayContaining(['email_marketing', 'sig']));
    expect(propertiesOf('UpdateUserRequest')).toEqual(
      expect.arrayContaining(['username', 'email', 'password', 'current_password']),
    );
  });

  it('documents path parameters, optional bodies and empty responses of any route it is given', () => {
    const ZInput = z.object({ code: z.string().trim().min(6) }).optional();
    const routes = [
      defineRoute({
        method: 'PUT',
        path: '/api/things/{thing-id}',
        operationId: 'putThing',
        summary: 'test route',
        tags: ['things'],
        isProtected: false,
        requestBody: ZInput,
        pathParams: { 'thing-id': 'the thing' },
        errors: ['NOT_FOUND', 'TOO_MANY_ATTEMPTS'],
        handle: async () => ({}),
      }),
    ];
    const operation = buildOpenApiDocument(routes).paths['/api/things/{thing-id}']?.put;
    expect(operation?.parameters).toEqual([
      {
        name: 'thing-id',
        in: 'path',
        required: true,
        description: 'the thing',
        schema: { type: 'string', minLength: 1 },
      },
    ]);
    expect(operation?.requestBody?.required).toBe(false);
    expect(operation?.responses['200']).toEqual({ description: 'Success, with an empty body.' });
    expect(Object.keys(operation?.responses ?? {}).sort()).toEqual([
      '200',
      '400',
      '403',
      '404',
      '413',
      '415',
      '429',
      '500',
      '503',
    ]);
  });

  it('refuses a route table it cannot describe truthfully', () => {
    const base = {
      method: 'POST' as const,
      path: '/api/x',
      operationId: 'x',
      summary: 'x',
      tags: [],
      isProtected: false,
      handle: async () => ({}),
    };
    expect(() => buildOpenApiDocument([defineRoute({ ...base, responseHeaders: ['X-Unknown'] })])).toThrow(
      /undocumented header X-Unknown/,
    );
    expect(() =>
      buildOpenApiDocument([defineRoute({ ...base, errorHeaders: { 409: ['Retry-After'] } })]),
    ).toThrow(/status 409/);
    const output = z.object({ at: z.number().transform((n) => new Date(n)) });
    expect(() => buildOpenApiDocument([defineRoute({ ...base, responseBody: output })])).toThrow();
    expect(() => buildOpenApiDocument([defineRoute(base), defineRoute(base)])).toThrow(/two routes/);
  });
});

describe('GET /api/openapi.json', () => {
  let test: StoreTestCore;
  beforeAll(async () => {
    test = await openTestCore();
  });
  afterAll(() => test.close());

  it('serves the document generated from the route table, without a session', async () => {
    const app = createApiApp({ core: test.core, logger: silentLogger });
    const response = await app.request('/api/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(document)));
  });
});
