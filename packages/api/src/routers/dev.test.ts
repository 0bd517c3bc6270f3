import { TRPCError } from '@trpc/server';
import { enqueueTestMail, openTestCore, type StoreTestCore, TEST_META } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCaller } from '../router.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
  await enqueueTestMail(t.core, { kind: 'mfa-enabled', to: 'alice@example.test', username: 'alice' });
});
afterEach(() => t.close());

const callerWith = (isDevMailboxEnabled: boolean | undefined) =>
  createCaller({
    core: t.core,
    meta: TEST_META,
    sessionToken: undefined,
    ...(isDevMailboxEnabled === undefined ? {} : { isDevMailboxEnabled }),
  });

describe('dev.mail', () => {
  it('lists the outbox when the development mailbox is on', async () => {
    const { messages } = await callerWith(true).dev.mail();
    expect(messages).toEqual([
      expect.objectContaining({
        kind: 'mfa-enabled',
        to: 'alice@example.test',
        subject: 'Twofold: MFA enabled',
        status: 'pending',
      }),
    ]);
  });

  it.each([false, undefined])('is NOT_FOUND when the mailbox is %s', async (flag) => {
    const error = await callerWith(flag)
      .dev.mail()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('NOT_FOUND');
  });
});
