import { ADMIN_SCOPES, createAdminKey } from '@twofold/core';
import { createUser } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restRoutes } from '../../src/rest/routes/index.js';
import { type ApiTestbed, openApiTestbed } from '../api-testbed.js';

// The document's scope of each admin route (`adminScope`) is the one its procedure enforces.
let t: ApiTestbed;
let username: string;
beforeAll(async () => {
  t = await openApiTestbed();
  username = (await createUser(t.core)).input.username;
});
afterAll(() => t.close());

const adminRoutes = restRoutes.filter((route) => route.adminScope !== undefined);

describe.each(adminRoutes)('$method $path', (route) => {
  it('lets a key with exactly the documented scope in, and refuses a key with every other one', async () => {
    const scope = route.adminScope;
    if (!scope) throw new Error('not an admin route');
    const path = route.path.replace('{user}', username);
    const only = await createAdminKey(t.core, { name: 'only', scopes: [scope] });
    const others = await createAdminKey(t.core, {
      name: 'others',
      scopes: ADMIN_SCOPES.filter((other) => other !== scope),
    });
    const allowed = await t.request(route.method, path, { token: only.key });
    expect([401, 403], `${allowed.status} ${await allowed.text()}`).not.toContain(allowed.status);
    const refused = await t.request(route.method, path, { token: others.key });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'INSUFFICIENT_SCOPE' });
    expect((await t.request(route.method, path)).status).toBe(401);
  });
});
