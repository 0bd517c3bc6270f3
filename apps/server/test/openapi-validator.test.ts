import { buildOpenApiDocument, restRoutes } from '@twofold/api';
import { describe, expect, it } from 'vitest';
import { type ObservedResponse, ResponseValidator } from './support/openapi-validator.js';

const validator = new ResponseValidator(buildOpenApiDocument(restRoutes));

const USER_AUTH = {
  token: 'jwt',
  id: 'u1',
  origin: 'local',
  user: 'alice',
  name: 'Alice',
  email: 'alice@example.test',
  recovery_email: '',
  mfa: false,
  admin: false,
};

function observed(
  overrides: Partial<ObservedResponse> & { json?: unknown; headerList?: Record<string, string> },
) {
  const { json, headerList, ...rest } = overrides;
  const text = json === undefined ? '' : JSON.stringify(json);
  const headers = new Headers({
    ...(json === undefined ? {} : { 'content-type': 'application/json' }),
    ...headerList,
  });
  return { method: 'POST', path: '/api/login', status: 200, text, headers, ...rest };
}

/** The validator that proves the document by traffic must itself refuse what the document does not promise. */
describe('ResponseValidator', () => {
  it('accepts a response the document promises', () => {
    expect(() =>
      validator.validate(observed({ json: USER_AUTH, headerList: { 'x-account-lockout': '0' } })),
    ).not.toThrow();
    expect(() =>
      validator.validate(
        observed({
          method: 'PUT',
          path: '/api/user/mfa/reset/0b8f1d5e-token',
          status: 401,
          json: { message: 'invalid or expired reset codes', code: 'INVALID_CODE' },
        }),
      ),
    ).not.toThrow();
  });

  it('refuses an undocumented operation or status', () => {
    expect(() => validator.validate(observed({ path: '/api/nowhere' }))).toThrow(
      /not a documented operation/,
    );
    expect(() => validator.validate(observed({ method: 'DELETE' }))).toThrow(/not a documented operation/);
    expect(() => validator.validate(observed({ status: 418, json: { message: 'x', code: 'X' } }))).toThrow(
      /not documented/,
    );
    // An unknown reset token is 401 like wrong codes (docs/contract.md § Reset by email), never 404.
    expect(() =>
      validator.validate(
        observed({
          method: 'PUT',
          path: '/api/user/mfa/reset/0b8f1d5e-token',
          status: 404,
          json: { message: 'not found', code: 'NOT_FOUND' },
        }),
      ),
    ).toThrow(/not documented/);
  });

  it('refuses a body that does not match, an error code not listed for the status, a body where none is due', () => {
    const extra = { ...USER_AUTH, password: 'leak' };
    expect(() =>
      validator.validate(observed({ json: extra, headerList: { 'x-account-lockout': '0' } })),
    ).toThrow(/additional properties/);
    expect(() =>
      validator.validate(observed({ status: 401, json: { message: 'no', code: 'MFA_ALREADY_ENABLED' } })),
    ).toThrow(/allowed values/);
    expect(() =>
      validator.validate(
        observed({ method: 'PUT', path: '/api/user/mfa/enable', json: {}, request: { kind: 'none' } }),
      ),
    ).toThrow(/empty body/);
  });

  it('refuses a missing required header and a header value of the wrong type', () => {
    expect(() => validator.validate(observed({ json: USER_AUTH }))).toThrow(
      /required header X-Account-Lockout/,
    );
    expect(() =>
      validator.validate(
        observed({
          status: 429,
          json: { message: 'locked', code: 'TOO_MANY_ATTEMPTS' },
          headerList: { 'retry-after': '60' },
        }),
      ),
    ).toThrow(/X-Account-Lockout/);
    expect(() =>
      validator.validate(observed({ json: USER_AUTH, headerList: { 'x-account-lockout': 'soon' } })),
    ).toThrow(/not an integer/);
  });

  it('refuses an accepted request that the document says is invalid', () => {
    expect(() =>
      validator.validate(
        observed({
          json: USER_AUTH,
          headerList: { 'x-account-lockout': '0' },
          request: { kind: 'json', value: { username: 'alice' } },
        }),
      ),
    ).toThrow(/accepted a request body the document refuses/);
    expect(() =>
      validator.validate(
        observed({ json: USER_AUTH, headerList: { 'x-account-lockout': '0' }, request: { kind: 'none' } }),
      ),
    ).toThrow(/accepted no body/);
  });
});
