import { ZRecoveryCodesStatus, ZRegenerateRecoveryCodesResult } from '@twofold/core';
import { defineRoute, type RestRoute } from '../route.js';

const TAGS = ['mfa'];
const PATH = '/api/user/mfa/recovery-codes';

/** Extension paths beside the seed's MFA operations (docs/contract.md § Recovery codes). */
export const recoveryCodeRoutes: RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: PATH,
    operationId: 'getRecoveryCodesStatus',
    summary: 'How many unused recovery codes are left, and whether that is low (2 or fewer)',
    tags: TAGS,
    isProtected: true,
    responseBody: ZRecoveryCodesStatus,
    errors: [],
    handle: async (caller) => ({ body: await caller.mfa.recoveryCodes.status() }),
  }),
  defineRoute({
    method: 'POST',
    path: PATH,
    operationId: 'regenerateRecoveryCodes',
    summary: 'Replace every recovery code with 6 new ones, shown once (fresh session)',
    tags: TAGS,
    isProtected: true,
    responseBody: ZRegenerateRecoveryCodesResult,
    errors: ['MFA_NOT_ENABLED', 'REAUTHENTICATION_REQUIRED', 'SERVICE_UNAVAILABLE'],
    handle: async (caller) => ({ body: await caller.mfa.recoveryCodes.regenerate() }),
  }),
];
