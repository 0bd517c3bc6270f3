import {
  type TAuthMfaWebAuthnInput,
  type TPasskeyLoginInput,
  type TRegisterWebAuthnInput,
  type TUpdateWebAuthnInput,
  type TWebAuthnSecondStepOptionsInput,
  ZAuthMfaWebAuthnInput,
  ZPasskeyLoginInput,
  ZRegisterWebAuthnInput,
  ZRegisterWebAuthnResult,
  ZUpdateWebAuthnBody,
  ZUserAuth,
  ZWebAuthnAssertionOptions,
  ZWebAuthnCredentialList,
  ZWebAuthnCredentialSummary,
  ZWebAuthnRegistrationOptions,
  ZWebAuthnSecondStepOptionsInput,
} from '@twofold/core';
import { invalidInput, UNKNOWN_FIELD_REASON } from '../../errors/to-domain-error.js';
import { asProcedureInput, defineRoute, type RestRoute } from '../route.js';

const TAGS = ['webauthn'];
const BASE = '/api/user/mfa/webauthn';
const CREDENTIAL_PARAM = { id: 'The credential id from the list (Twofold’s, not the authenticator’s).' };

/** The body's fields with the path's id; an id in the body is a field the operation does not have. */
function withPathId(body: unknown, id: string | undefined): Record<string, unknown> {
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {};
  if (Object.hasOwn(fields, 'id')) throw invalidInput({ id: UNKNOWN_FIELD_REASON });
  return { ...fields, id };
}

export const webauthnRoutes: RestRoute[] = [
  defineRoute({
    method: 'POST',
    path: `${BASE}/register/options`,
    operationId: 'webauthnRegistrationOptions',
    summary: 'Options for navigator.credentials.create(): register a security key or passkey',
    tags: TAGS,
    isProtected: true,
    responseBody: ZWebAuthnRegistrationOptions,
    errors: ['RECOVERY_EMAIL_REQUIRED', 'REAUTHENTICATION_REQUIRED'],
    handle: async (caller) => ({ body: await caller.mfa.webauthn.registrationOptions() }),
  }),
  defineRoute({
    method: 'POST',
    path: `${BASE}/register`,
    operationId: 'webauthnRegister',
    summary: 'Verify the new credential and keep it; the first second factor turns MFA on',
    tags: TAGS,
    isProtected: true,
    requestBody: ZRegisterWebAuthnInput,
    responseBody: ZRegisterWebAuthnResult,
    errors: [
      'RECOVERY_EMAIL_REQUIRED',
      'REAUTHENTICATION_REQUIRED',
      'PROOF_REJECTED',
      'CREDENTIAL_ALREADY_REGISTERED',
    ],
    handle: async (caller, { body }) => ({
      body: await caller.mfa.webauthn.register(asProcedureInput<TRegisterWebAuthnInput>(body)),
    }),
  }),
  defineRoute({
    method: 'GET',
    path: `${BASE}/credentials`,
    operationId: 'webauthnListCredentials',
    summary: 'The user’s security keys and passkeys',
    tags: TAGS,
    isProtected: true,
    responseBody: ZWebAuthnCredentialList,
    handle: async (caller) => ({ body: await caller.mfa.webauthn.list() }),
  }),
  defineRoute({
    method: 'PATCH',
    path: `${BASE}/credentials/{id}`,
    operationId: 'webauthnUpdateCredential',
    summary: 'Rename a credential, or choose whether it may log in without the password',
    tags: TAGS,
    isProtected: true,
    requestBody: ZUpdateWebAuthnBody,
    responseBody: ZWebAuthnCredentialSummary,
    errors: ['CREDENTIAL_NOT_FOUND', 'REAUTHENTICATION_REQUIRED'],
    pathParams: CREDENTIAL_PARAM,
    handle: async (caller, { body, params }) => ({
      body: await caller.mfa.webauthn.update(
        asProcedureInput<TUpdateWebAuthnInput>(withPathId(body, params.id)),
      ),
    }),
  }),
  defineRoute({
    method: 'DELETE',
    path: `${BASE}/credentials/{id}`,
    operationId: 'webauthnRemoveCredential',
    summary: 'Remove a credential; removing the last second factor disables MFA',
    tags: TAGS,
    isProtected: true,
    errors: ['CREDENTIAL_NOT_FOUND', 'REAUTHENTICATION_REQUIRED'],
    pathParams: CREDENTIAL_PARAM,
    async handle(caller, { params }) {
      await caller.mfa.webauthn.remove({ id: params.id ?? '' });
      return {};
    },
  }),
  defineRoute({
    method: 'POST',
    path: `${BASE}/reauth/options`,
    operationId: 'webauthnReauthOptions',
    summary:
      'Options for navigator.credentials.get() to answer in POST /api/user/reauth {password, webauthn}',
    tags: TAGS,
    isProtected: true,
    responseBody: ZWebAuthnAssertionOptions,
    errors: ['NO_WEBAUTHN_CREDENTIAL'],
    handle: async (caller) => ({ body: await caller.mfa.webauthn.reauthOptions() }),
  }),
  defineRoute({
    method: 'POST',
    path: `${BASE}/auth/options`,
    operationId: 'webauthnAuthOptions',
    summary: 'Second login step: options for navigator.credentials.get() for the X-MFA-Token’s user',
    tags: TAGS,
    isProtected: false,
    requestBody: ZWebAuthnSecondStepOptionsInput,
    responseBody: ZWebAuthnAssertionOptions,
    errors: ['INVALID_MFA_TOKEN', 'NO_WEBAUTHN_CREDENTIAL'],
    handle: async (caller, { body }) => ({
      body: await caller.mfa.webauthn.authOptions(asProcedureInput<TWebAuthnSecondStepOptionsInput>(body)),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: `${BASE}/auth`,
    operationId: 'webauthnAuth',
    summary: 'Second login step: the X-MFA-Token and a security key’s assertion',
    tags: TAGS,
    isProtected: false,
    requestBody: ZAuthMfaWebAuthnInput,
    responseBody: ZUserAuth,
    optionalResponseHeaders: ['Set-Cookie'],
    errors: ['INVALID_MFA_TOKEN', 'INVALID_ASSERTION', 'ACCOUNT_DISABLED', 'TOO_MANY_ATTEMPTS'],
    handle: async (caller, { body }) => ({
      body: await caller.mfa.webauthn.auth(asProcedureInput<TAuthMfaWebAuthnInput>(body)),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: `${BASE}/login/options`,
    operationId: 'webauthnLoginOptions',
    summary:
      'Passkey login: options for navigator.credentials.get() (discoverable, user verification required)',
    tags: TAGS,
    isProtected: false,
    isBodyOptional: true,
    handle: async (caller) => ({ body: await caller.mfa.webauthn.loginOptions() }),
    responseBody: ZWebAuthnAssertionOptions,
  }),
  defineRoute({
    method: 'POST',
    path: `${BASE}/login`,
    operationId: 'webauthnLogin',
    summary: 'Passkey login: a complete login without the password',
    tags: TAGS,
    isProtected: false,
    requestBody: ZPasskeyLoginInput,
    responseBody: ZUserAuth,
    optionalResponseHeaders: ['Set-Cookie'],
    errors: ['INVALID_ASSERTION', 'ACCOUNT_DISABLED', 'TOO_MANY_ATTEMPTS'],
    handle: async (caller, { body }) => ({
      body: await caller.mfa.webauthn.login(asProcedureInput<TPasskeyLoginInput>(body)),
    }),
  }),
];
