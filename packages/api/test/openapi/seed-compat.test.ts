import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, type OpenApiOperation } from '../../src/openapi/build-document.js';
import { restRoutes } from '../../src/rest/routes/index.js';

/**
 * The operations and models of the seed client (seed/MfaApi.md, ShellHub's MfaApi) copied
 * here: a client generated from the seed must work against our document unchanged.
 */
const SEED_OPERATIONS = [
  ['authMFA', 'post', '/api/user/mfa/auth', 'mfaAuth'],
  ['disableMFA', 'put', '/api/user/mfa/disable', 'mfaDisable'],
  ['enableMFA', 'put', '/api/user/mfa/enable', 'mfaEnable'],
  ['generateMFA', 'get', '/api/user/mfa/generate', undefined],
  ['mfaRecover', 'post', '/api/user/mfa/recover', 'mfaRecover'],
  ['requestResetMFA', 'post', '/api/user/mfa/reset', 'requestResetMFARequest'],
  ['resetMFA', 'put', '/api/user/mfa/reset/{user-id}', 'mfaReset'],
] as const;

/** Seed request models: property names, and which of them the seed client always sends. */
const SEED_MODELS = {
  mfaAuth: { properties: ['token', 'code'], required: ['token', 'code'] },
  mfaDisable: {
    properties: ['code', 'recovery_code', 'main_email_code', 'recovery_email_code'],
    required: [],
  },
  mfaEnable: {
    properties: ['code', 'secret', 'recovery_codes'],
    required: ['code', 'secret', 'recovery_codes'],
  },
  mfaRecover: { properties: ['identifier', 'recovery_code'], required: ['identifier', 'recovery_code'] },
  requestResetMFARequest: { properties: ['identifier'], required: ['identifier'] },
  mfaReset: {
    properties: ['main_email_code', 'recovery_email_code'],
    required: ['main_email_code', 'recovery_email_code'],
  },
} as const;

const document = buildOpenApiDocument(restRoutes);

function operationAt(method: string, path: string): OpenApiOperation {
  const operation = document.paths[path]?.[method as 'get'];
  if (!operation) throw new Error(`${method.toUpperCase()} ${path} missing`);
  return operation;
}

function resolve(schema: Record<string, unknown> | undefined): Record<string, unknown> {
  const ref = schema?.$ref;
  if (typeof ref !== 'string') return schema ?? {};
  const found = document.components.schemas[ref.replace('#/components/schemas/', '')];
  if (!found) throw new Error(`dangling ${ref}`);
  return found;
}

describe('the document serves the seed client (seed/MfaApi.md) unchanged', () => {
  it.each(SEED_OPERATIONS)('%s is %s %s', (operationId, method, path, model) => {
    const operation = operationAt(method, path);
    expect(operation.operationId).toBe(operationId);
    if (!model) return;
    const schema = resolve(operation.requestBody?.content['application/json']?.schema);
    const seed = SEED_MODELS[model];
    // Every field the seed client may send is known; nothing it may omit is required.
    expect(Object.keys(schema.properties as object)).toEqual(expect.arrayContaining([...seed.properties]));
    for (const field of (schema.required as string[] | undefined) ?? [])
      expect(seed.required).toContain(field);
  });

  it('returns the seed response models and headers', () => {
    const generated = resolve(
      operationAt('get', '/api/user/mfa/generate').responses['200']?.content?.['application/json']?.schema,
    );
    expect(generated.required).toEqual(expect.arrayContaining(['link', 'secret', 'recovery_codes']));
    for (const [method, path] of [
      ['post', '/api/user/mfa/auth'],
      ['post', '/api/user/mfa/recover'],
      ['put', '/api/user/mfa/reset/{user-id}'],
    ] as const) {
      const auth = operationAt(method, path).responses['200']?.content?.['application/json']?.schema;
      expect(auth, path).toEqual({ $ref: '#/components/schemas/UserAuth' });
    }
    expect(
      operationAt('post', '/api/user/mfa/recover').responses['200']?.headers?.['X-Expires-At']?.required,
    ).toBe(true);
    expect(operationAt('post', '/api/auth/user').responses['401']?.headers?.['X-MFA-Token']).toBeDefined();
    for (const [method, path] of [
      ['put', '/api/user/mfa/disable'],
      ['put', '/api/user/mfa/enable'],
    ] as const) {
      expect(
        operationAt(method, path).responses['200']?.content,
        `${path} answers 200 empty`,
      ).toBeUndefined();
    }
  });

  it('lets the seed client omit the optional disable body', () => {
    expect(operationAt('put', '/api/user/mfa/disable').requestBody?.required).toBe(false);
    expect(operationAt('put', '/api/user/mfa/enable').requestBody?.required).toBe(true);
  });

  it('serves the aliases of the reference as well', () => {
    expect(operationAt('post', '/api/user/mfa/recovery').requestBody).toEqual(
      operationAt('post', '/api/user/mfa/recover').requestBody,
    );
    expect(operationAt('put', '/api/user/mfa/recovery/disable').security).toContainEqual({ jwt: [] });
  });

  it('documents the user-id path parameter of resetMFA', () => {
    expect(operationAt('put', '/api/user/mfa/reset/{user-id}').parameters).toEqual([
      expect.objectContaining({
        name: 'user-id',
        in: 'path',
        required: true,
        schema: { type: 'string', minLength: 1 },
      }),
    ]);
  });
});
