/**
 * Both clients against the API in this process: what a caller of the package sees (typed
 * results, error codes, the second step's token, bearer tokens only), through a fetch of the test's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiApp, silentLogger } from '@twofold/api';
import { buildRegisterInput, openTestCore, type StoreTestCore, totpAt } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTwofoldTrpcClient, TRPCClientError, type TwofoldErrorData } from '../src/index.js';
import {
  authMfa,
  createTwofoldRestClient,
  enableMfa,
  generateMfa,
  getAuthUser,
  introspectSession,
  login,
  logout,
  mfaTokenOf,
  register,
  updateUser,
} from '../src/rest.js';

const URL_BASE = 'http://twofold.test/';

let t: StoreTestCore;
let requests: Request[];
let fetchApi: typeof fetch;
beforeEach(async () => {
  t = await openTestCore();
  const app = createApiApp({ core: t.core, logger: silentLogger });
  requests = [];
  fetchApi = async (input, init) => {
    const request = new Request(input, init);
    requests.push(request.clone());
    return app.fetch(request);
  };
});
afterEach(() => t.close());

const restClient = (token?: string) =>
  createTwofoldRestClient({ url: URL_BASE, fetch: fetchApi, ...(token ? { token } : {}) });
const trpcClient = (token?: string) =>
  createTwofoldTrpcClient({ url: URL_BASE, fetch: fetchApi, ...(token ? { token } : {}) });

describe('the tRPC client', () => {
  it('logs in, calls as the session, and sees its session end', async () => {
    const input = buildRegisterInput();
    await trpcClient().auth.register.mutate(input);
    const result = await trpcClient().auth.login.mutate({
      username: input.username,
      password: input.password,
    });
    if (result.status !== 'authenticated') throw new Error('expected a session');
    const session = trpcClient(result.auth.token);
    expect((await session.auth.me.query()).user).toBe(input.username);
    expect(await session.auth.introspect.mutate({ token: result.auth.token })).toMatchObject({
      active: true,
      username: input.username,
      auth_method: 'password',
    });
    await session.auth.logout.mutate();
    expect(await trpcClient().auth.introspect.mutate({ token: result.auth.token })).toEqual({
      active: false,
    });
    expect(requests.at(-1)?.url).toBe('http://twofold.test/trpc/auth.introspect');
  });

  it('fails with the domain code in the error data', async () => {
    const failed = await trpcClient()
      .auth.login.mutate({ username: 'nobody', password: 'not the password' })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(TRPCClientError);
    const data: TwofoldErrorData | undefined = failed instanceof TRPCClientError ? failed.data : undefined;
    expect(data?.appCode).toBe('INVALID_CREDENTIALS');
  });
});

describe('the REST client', () => {
  it('was generated from the document the server serves at /api/openapi.json', async () => {
    const served = await (await fetchApi(`${URL_BASE}api/openapi.json`)).json();
    const committed: unknown = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', 'openapi.json'), 'utf8'),
    );
    expect(served).toEqual(committed);
  });

  it("logs in, passes generate's recovery codes to enable as they are, and then needs the second step", async () => {
    const input = buildRegisterInput();
    const registered = await register({ client: restClient(), body: input, throwOnError: true });
    const session = restClient(registered.data.token);
    await updateUser({
      client: session,
      body: { recovery_email: `recovery.${input.email}` },
      throwOnError: true,
    });
    const { data: generated } = await generateMfa({ client: session, throwOnError: true });
    expect(generated.recovery_codes).toHaveLength(6);
    const code = await totpAt(generated.secret, t.clock.now());
    await enableMfa({
      client: session,
      body: { code, secret: generated.secret, recovery_codes: generated.recovery_codes },
      throwOnError: true,
    });

    const first = await login({
      client: restClient(),
      body: { username: input.username, password: input.password },
    });
    expect(first.data).toBeUndefined();
    expect(first.error).toMatchObject({ code: 'MFA_REQUIRED' });
    const mfaToken = mfaTokenOf(first);
    expect(mfaToken).toMatch(/^[0-9a-f-]{36}$/);
    t.clock.advanceSeconds(30);
    const second = await authMfa({
      client: restClient(),
      body: { token: mfaToken ?? '', code: await totpAt(generated.secret, t.clock.now()) },
      throwOnError: true,
    });
    const { data: me } = await getAuthUser({ client: restClient(second.data.token), throwOnError: true });
    expect(me).toMatchObject({ user: input.username, mfa: true });
  });

  it('sends the token as a bearer only, and introspects with the token in the body', async () => {
    const input = buildRegisterInput();
    const { data } = await register({ client: restClient(), body: input, throwOnError: true });
    await getAuthUser({ client: restClient(data.token), throwOnError: true });
    const sent = requests.at(-1);
    expect(sent?.headers.get('authorization')).toBe(`Bearer ${data.token}`);
    expect(sent?.headers.get('cookie')).toBeNull();
    expect(mfaTokenOf({ response: new Response(null, { status: 200 }) })).toBeUndefined();

    await logout({ client: restClient(data.token), throwOnError: true });
    const { data: answer } = await introspectSession({
      client: restClient(),
      body: { token: data.token },
      throwOnError: true,
    });
    expect(answer).toEqual({ active: false });
  });
});
