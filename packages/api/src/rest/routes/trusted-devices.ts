import { ZTrustedDeviceList } from '@twofold/core';
import { defineRoute, type RestRoute } from '../route.js';

const TAGS = ['sessions'];
const PATH = '/api/user/trusted-devices';

/** Extension paths beside the seed's (docs/contract.md § Trusted devices). */
export const trustedDeviceRoutes: RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: PATH,
    operationId: 'listTrustedDevices',
    summary: "The user's trusted browsers (the password alone logs in there), newest first",
    tags: TAGS,
    isProtected: true,
    responseBody: ZTrustedDeviceList,
    handle: async (caller) => ({ body: await caller.user.trustedDevices.list() }),
  }),
  defineRoute({
    method: 'DELETE',
    path: `${PATH}/{id}`,
    operationId: 'revokeTrustedDevice',
    summary: "Revoke one of the user's trusted browsers (404 for an unknown id or another user's)",
    tags: TAGS,
    isProtected: true,
    errors: ['TRUSTED_DEVICE_NOT_FOUND'],
    pathParams: { id: 'a trusted device id from GET /api/user/trusted-devices' },
    async handle(caller, { params }) {
      await caller.user.trustedDevices.revoke({ id: params.id ?? '' });
      return {};
    },
  }),
];
