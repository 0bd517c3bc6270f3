// Invariant: a request refused because the slow-hash queue is full answers 503 with Retry-After and the error envelope, on REST and on tRPC alike.
import { SLOW_HASH_MAX_PENDING_PER_ADDRESS, SLOW_HASH_RETRY_AFTER_SECONDS } from '@twofold/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiTestbed, openApiTestbed } from './api-testbed.js';

let t: ApiTestbed;
let release: () => void;
beforeEach(async () => {
  t = await openApiTestbed();
  // Hold the queue's whole share for the address app.request() reports (no socket: 'unknown').
  let finish = () => {};
  const held = new Promise<string>((resolve) => {
    finish = () => resolve('done');
  });
  void t.core.slowHashes.run(
    { clientAddress: 'unknown' },
    Array.from({ length: SLOW_HASH_MAX_PENDING_PER_ADDRESS }, () => () => held),
  );
  release = finish;
});
afterEach(async () => {
  release();
  await t.close();
});

const login = { username: 'someone', password: 'a-password' };

describe('503 when the slow-hash queue is full', () => {
  it('REST: 503, Retry-After, the error envelope', async () => {
    const res = await t.request('POST', '/api/login', { body: login });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe(String(SLOW_HASH_RETRY_AFTER_SECONDS));
    expect(await res.json()).toEqual({ message: expect.any(String), code: 'SERVICE_UNAVAILABLE' });
  });

  it('tRPC: 503 with Retry-After, alone and in a batch', async () => {
    const single = await t.request('POST', '/trpc/auth.login', { body: login });
    expect(single.status).toBe(503);
    expect(single.headers.get('retry-after')).toBe(String(SLOW_HASH_RETRY_AFTER_SECONDS));
    const body = (await single.json()) as { error: { data: { appCode: string } } };
    expect(body.error.data.appCode).toBe('SERVICE_UNAVAILABLE');

    const batch = await t.request('POST', '/trpc/auth.login,auth.login?batch=1', {
      body: { 0: login, 1: login },
    });
    expect(batch.status).toBe(503);
    expect(batch.headers.get('retry-after')).toBe(String(SLOW_HASH_RETRY_AFTER_SECONDS));
  });
});
