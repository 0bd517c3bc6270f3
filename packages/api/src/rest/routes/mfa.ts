import {
  type TAuthMfaInput,
  type TDisableMfaInput,
  type TEnableMfaInput,
  type TRecoverMfaInput,
  type TRequestResetInput,
  type TResetMfaInput,
  ZAuthMfaInput,
  ZDisableMfaInput,
  ZEnableMfaInput,
  ZGenerateMfaResult,
  ZRecoverMfaInput,
  ZRequestResetInput,
  ZRequestResetResult,
  ZResetMfaInput,
  ZUserAuth,
} from '@twofold/core';
import { invalidInput, UNKNOWN_FIELD_REASON } from '../../errors/to-domain-error.js';
import { asProcedureInput, defineRoute, type RestRoute } from '../route.js';

const TAGS = ['mfa'];

/** Body fields of PUT /api/user/mfa/reset/{user-id}; the id comes from the path. */
const ZResetMfaBody = ZResetMfaInput.omit({ id: true });

const recover = (path: string, operationId: string): RestRoute =>
  defineRoute({
    method: 'POST',
    path,
    operationId,
    summary: 'Log in with a recovery code; opens a 10-minute window for disabling MFA',
    tags: TAGS,
    isProtected: false,
    requestBody: ZRecoverMfaInput,
    responseBody: ZUserAuth,
    responseHeaders: ['X-Expires-At'],
    errors: ['INVALID_CODE', 'ACCOUNT_DISABLED', 'TOO_MANY_ATTEMPTS'],
    async handle(caller, { body }) {
      const result = await caller.mfa.recover(asProcedureInput<TRecoverMfaInput>(body));
      return { body: result.auth, headers: { 'X-Expires-At': String(result.expiresAtSeconds) } };
    },
  });

const disable = (path: string, operationId: string, summary: string, hasBody: boolean): RestRoute =>
  defineRoute({
    method: 'PUT',
    path,
    operationId,
    summary,
    tags: TAGS,
    isProtected: true,
    ...(hasBody ? { requestBody: ZDisableMfaInput, isBodyOptional: true } : {}),
    errors: ['MFA_NOT_ENABLED', 'PROOF_REJECTED', 'TOO_MANY_ATTEMPTS'],
    async handle(caller, { body }) {
      // An absent body is the `{}` proof (recovery window); the alias never reads one.
      const input = hasBody && body !== undefined ? body : {};
      await caller.mfa.disable(asProcedureInput<TDisableMfaInput>(input));
      return {};
    },
  });

export const mfaRoutes: RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/api/user/mfa/generate',
    operationId: 'generateMFA',
    summary: 'Generate a TOTP secret and recovery codes as the pending enrollment',
    tags: TAGS,
    isProtected: true,
    responseBody: ZGenerateMfaResult,
    // A mutation behind a GET (seed path): the CSRF guard applies as on other state changes.
    errors: ['MFA_ALREADY_ENABLED', 'CSRF_REJECTED', 'REAUTHENTICATION_REQUIRED'],
    handle: async (caller) => ({ body: await caller.mfa.generate() }),
  }),
  defineRoute({
    method: 'PUT',
    path: '/api/user/mfa/enable',
    operationId: 'enableMFA',
    summary: 'Enable MFA by confirming the pending enrollment with a code',
    tags: TAGS,
    isProtected: true,
    requestBody: ZEnableMfaInput,
    errors: [
      'MFA_ALREADY_ENABLED',
      'RECOVERY_EMAIL_REQUIRED',
      'ENROLLMENT_MISMATCH',
      'REAUTHENTICATION_REQUIRED',
      'PROOF_REJECTED',
    ],
    async handle(caller, { body }) {
      await caller.mfa.enable(asProcedureInput<TEnableMfaInput>(body));
      return {};
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/user/mfa/auth',
    operationId: 'authMFA',
    summary: 'Second login step: the X-MFA-Token and a TOTP code',
    tags: TAGS,
    isProtected: false,
    requestBody: ZAuthMfaInput,
    responseBody: ZUserAuth,
    optionalResponseHeaders: ['Set-Cookie'],
    errors: ['INVALID_MFA_TOKEN', 'INVALID_CODE', 'CODE_REPLAYED', 'ACCOUNT_DISABLED', 'TOO_MANY_ATTEMPTS'],
    handle: async (caller, { body }) => ({
      body: await caller.mfa.auth(asProcedureInput<TAuthMfaInput>(body)),
    }),
  }),
  recover('/api/user/mfa/recover', 'mfaRecover'),
  recover('/api/user/mfa/recovery', 'mfaRecovery'),
  disable('/api/user/mfa/disable', 'disableMFA', 'Disable MFA with one proof', true),
  disable(
    '/api/user/mfa/recovery/disable',
    'recoveryDisableMFA',
    'Disable MFA inside the recovery window (no body)',
    false,
  ),
  defineRoute({
    method: 'POST',
    path: '/api/user/mfa/reset',
    operationId: 'requestResetMFA',
    summary: 'Email one reset code to the main and one to the recovery address',
    tags: TAGS,
    isProtected: false,
    requestBody: ZRequestResetInput,
    responseBody: ZRequestResetResult,
    handle: async (caller, { body }) => ({
      body: await caller.mfa.requestReset(asProcedureInput<TRequestResetInput>(body)),
    }),
  }),
  defineRoute({
    method: 'PUT',
    path: '/api/user/mfa/reset/{user-id}',
    operationId: 'resetMFA',
    summary: 'Disable MFA with both emailed codes and log in',
    tags: TAGS,
    isProtected: false,
    requestBody: ZResetMfaBody,
    responseBody: ZUserAuth,
    errors: ['INVALID_CODE', 'ACCOUNT_DISABLED', 'TOO_MANY_ATTEMPTS'],
    pathParams: {
      'user-id': 'The token from request reset, or the user id in the link of the reset emails.',
    },
    async handle(caller, { body, params }) {
      // Anything but an object lacks the code fields, so the procedure's schema answers 400.
      const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {};
      // The id is the path's; one in the body is a field this operation does not have.
      if (Object.hasOwn(fields, 'id')) throw invalidInput({ id: UNKNOWN_FIELD_REASON });
      const input = { ...fields, id: params['user-id'] };
      return { body: await caller.mfa.reset(asProcedureInput<TResetMfaInput>(input)) };
    },
  }),
];
