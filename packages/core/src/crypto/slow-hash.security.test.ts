// Invariant: slow hashing is bounded per client address and in all, refused at once (503 SERVICE_UNAVAILABLE with Retry-After) when full and never counted as a failure, and a flood from one address never holds every thread nor starts a hash beside another client's.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import { createUser, openTestCore, outcomeOf, type StoreTestCore } from '../testing/index.js';
import {
  SLOW_HASH_MAX_PENDING_PER_ADDRESS,
  SLOW_HASH_MAX_WAITING,
  SLOW_HASH_RETRY_AFTER_SECONDS,
  SlowHashQueue,
  slowHashLimitsFor,
} from './slow-hash.js';

/** A hash that finishes when the test says (at once if told before it starts). */
function controlledWork() {
  let resolveWork: ((value: string) => void) | undefined;
  let isFinished = false;
  let hasStarted = false;
  const work = () => {
    hasStarted = true;
    return new Promise<string>((resolve) => {
      resolveWork = resolve;
      if (isFinished) resolve('done');
    });
  };
  return {
    work,
    get hasStarted() {
      return hasStarted;
    },
    finish: () => {
      isFinished = true;
      resolveWork?.('done');
    },
  };
}

const from = (clientAddress: string) => ({ clientAddress });
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('SlowHashQueue', () => {
  it(`admits ${SLOW_HASH_MAX_PENDING_PER_ADDRESS} hashes per address; the next request is refused whole, at once, with Retry-After`, async () => {
    const queue = new SlowHashQueue(slowHashLimitsFor(2));
    const works = Array.from({ length: SLOW_HASH_MAX_PENDING_PER_ADDRESS }, controlledWork);
    const admitted = queue.run(
      from('192.0.2.1'),
      works.map((w) => w.work),
    );
    const refused = controlledWork();
    await expect(queue.run(from('192.0.2.1'), [refused.work])).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      retryAfterSeconds: SLOW_HASH_RETRY_AFTER_SECONDS,
    });
    expect(refused.hasStarted).toBe(false);
    // Another address is another client.
    const other = controlledWork();
    const otherAnswer = queue.run(from('192.0.2.2'), [other.work]);
    other.finish();
    for (const w of works) w.finish();
    await expect(otherAnswer).resolves.toEqual(['done']);
    await expect(admitted).resolves.toHaveLength(SLOW_HASH_MAX_PENDING_PER_ADDRESS);
    expect(queue.size).toEqual({ running: 0, waiting: 0 });
  });

  it('counts an IPv6 /64 as one address', async () => {
    const queue = new SlowHashQueue(slowHashLimitsFor(2));
    const works = Array.from({ length: SLOW_HASH_MAX_PENDING_PER_ADDRESS }, controlledWork);
    void queue.run(
      from('2001:db8:1:2::1'),
      works.map((w) => w.work),
    );
    await expect(queue.run(from('2001:db8:1:2::ffff'), [controlledWork().work])).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
    for (const w of works) w.finish();
  });

  it(`bounds the waiting hashes of all addresses together at ${SLOW_HASH_MAX_WAITING}`, async () => {
    const queue = new SlowHashQueue(slowHashLimitsFor(1));
    const works: ReturnType<typeof controlledWork>[] = [];
    const perAddress = 8;
    let address = 0;
    // One running (a single thread) and SLOW_HASH_MAX_WAITING waiting, from many addresses.
    while (works.length < SLOW_HASH_MAX_WAITING + 1) {
      const batch = Array.from(
        { length: Math.min(perAddress, SLOW_HASH_MAX_WAITING + 1 - works.length) },
        controlledWork,
      );
      works.push(...batch);
      address += 1;
      void queue.run(
        from(`198.51.100.${address}`),
        batch.map((w) => w.work),
      );
    }
    expect(queue.size).toEqual({ running: 1, waiting: SLOW_HASH_MAX_WAITING });
    await expect(queue.run(from('203.0.113.9'), [controlledWork().work])).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
    for (const w of works) w.finish();
  });

  it('a flood from one address never holds every thread', async () => {
    const queue = new SlowHashQueue(slowHashLimitsFor(4));
    const flood = Array.from({ length: 20 }, controlledWork);
    void queue.run(
      from('192.0.2.66'),
      flood.map((w) => w.work),
    );
    await flush();
    expect(flood.filter((w) => w.hasStarted)).toHaveLength(3);
    for (const w of flood) w.finish();
  });

  it('another client waits for no queue: only for the flood hash running, and none starts beside its own', async () => {
    const queue = new SlowHashQueue(slowHashLimitsFor(2));
    const flood = Array.from({ length: 10 }, controlledWork);
    void queue.run(
      from('192.0.2.66'),
      flood.map((w) => w.work),
    );
    expect(flood.filter((w) => w.hasStarted)).toHaveLength(1);
    const login = controlledWork();
    const answered = queue.run(from('192.0.2.7'), [login.work]);
    // Not beside the flood's hash (argon2 is memory-bound: both would slow down)...
    expect(login.hasStarted).toBe(false);
    flood[0]?.finish();
    await flush();
    // ...but next, ahead of the nine the flood has waiting, and alone.
    expect(login.hasStarted).toBe(true);
    expect(flood.filter((w) => w.hasStarted)).toHaveLength(1);
    login.finish();
    await expect(answered).resolves.toEqual(['done']);
    await flush();
    expect(flood.filter((w) => w.hasStarted)).toHaveLength(2);
    for (const w of flood) w.finish();
  });

  it('clients with equal work hash side by side', async () => {
    const queue = new SlowHashQueue(slowHashLimitsFor(3));
    const logins = ['192.0.2.1', '192.0.2.2', '192.0.2.3'].map((address) => {
      const work = controlledWork();
      void queue.run(from(address), [work.work]);
      return work;
    });
    expect(logins.filter((w) => w.hasStarted)).toHaveLength(3);
    for (const w of logins) w.finish();
  });
});

describe('a full queue is no password failure', () => {
  let t: StoreTestCore;
  beforeEach(async () => {
    t = await openTestCore();
  });
  afterEach(() => t.close());

  it('logins refused with 503 count nothing: the right password still works afterwards', async () => {
    const { input } = await createUser(t.core);
    const meta = from('192.0.2.44');
    const held = Array.from({ length: SLOW_HASH_MAX_PENDING_PER_ADDRESS }, controlledWork);
    const holding = t.core.slowHashes.run(
      meta,
      held.map((w) => w.work),
    );
    const outcomes: string[] = [];
    for (let i = 0; i < 10; i++) {
      outcomes.push(
        await outcomeOf(
          loginWithPassword(t.core, { username: input.username, password: `wrong-${i}` }, meta),
        ),
      );
    }
    expect(outcomes).toEqual(Array(10).fill('SERVICE_UNAVAILABLE'));
    for (const w of held) w.finish();
    await holding;
    expect(
      await outcomeOf(loginWithPassword(t.core, { username: input.username, password: 'wrong' }, meta)),
    ).toBe('INVALID_CREDENTIALS');
    expect(await outcomeOf(loginWithPassword(t.core, input, meta))).toBe('ok');
  });
});
