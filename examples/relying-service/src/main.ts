/**
 * A service that relies on Twofold for its users' sessions. `node dist/main.js serve` answers
 * `GET /hello` to a request carrying a live Twofold session as `Authorization: Bearer`;
 * `node dist/main.js` (the demo) logs in to Twofold with @twofold/client, calls its own
 * `/hello` with the session, logs out and calls again, printing one JSON line per step.
 *
 *   TWOFOLD_URL=http://localhost:3000 TWOFOLD_USERNAME=ada TWOFOLD_PASSWORD='…' node dist/main.js
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTwofoldTrpcClient } from '@twofold/client';
import { createTwofoldRestClient, login, logout, mfaTokenOf } from '@twofold/client/rest';
import { createSessionVerifier } from './session-verifier.js';

const twofoldUrl = process.env.TWOFOLD_URL ?? 'http://localhost:3000';
const verify = createSessionVerifier(twofoldUrl);

function startService(port: number): Promise<Server> {
  const server = createServer(async (request, response) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const session = token ? await verify(token) : { refused: 'invalid token' as const };
    response.setHeader('content-type', 'application/json');
    if ('refused' in session) {
      response.writeHead(401).end(JSON.stringify(session));
      return;
    }
    // Typed end to end: `auth.me` answers the profile of the session the token names.
    const me = await createTwofoldTrpcClient({ url: twofoldUrl, token }).auth.me.query();
    response.writeHead(200).end(JSON.stringify({ hello: me.name, ...session }));
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

async function demo(): Promise<void> {
  const username = process.env.TWOFOLD_USERNAME;
  const password = process.env.TWOFOLD_PASSWORD;
  if (!username || !password) throw new Error('set TWOFOLD_USERNAME and TWOFOLD_PASSWORD');
  const twofold = createTwofoldRestClient({ url: twofoldUrl });
  const result = await login({ client: twofold, body: { username, password } });
  if (!result.data) {
    const step = mfaTokenOf(result) ? 'this account has MFA on: the second step is not part of the demo' : '';
    throw new Error(`login refused: ${result.error?.code ?? result.response.status} ${step}`);
  }
  const { token } = result.data;
  console.log(JSON.stringify({ step: 'logged in', user: result.data.user }));

  const service = await startService(0);
  const hello = `http://127.0.0.1:${(service.address() as AddressInfo).port}/hello`;
  const call = async (step: string) => {
    const response = await fetch(hello, { headers: { authorization: `Bearer ${token}` } });
    console.log(JSON.stringify({ step, status: response.status, body: await response.json() }));
  };
  try {
    await call('with the session');
    await logout({ client: createTwofoldRestClient({ url: twofoldUrl, token }), throwOnError: true });
    await call('after logout');
  } finally {
    service.close();
  }
}

if (process.argv[2] === 'serve') {
  const port = Number(process.env.PORT ?? 4000);
  await startService(port);
  console.log(JSON.stringify({ listening: `http://127.0.0.1:${port}/hello`, twofold: twofoldUrl }));
} else {
  try {
    await demo();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
