// Invariant: one client address gets at most IDENTIFIER_PROBE_POLICY.maxFailures answers "taken" (409 of register and of a recovery-email change, counted together) before every such request from it answers 429 until the lock ends; other addresses are not affected.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildRegisterInput,
  createUser,
  freshSession,
  openTestCore,
  outcomeOf,
  type StoreTestCore,
} from '../testing/index.js';
import { findUserById } from '../users/find.js';
import { registerUser } from '../users/register.js';
import { updateUser } from '../users/update.js';
import { IDENTIFIER_PROBE_POLICY } from './failure-counter.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const from = (clientAddress: string) => ({ clientAddress });
const LIMIT = IDENTIFIER_PROBE_POLICY.maxFailures;

describe('identifier-probe throttle', () => {
  it('locks an address after its 409s, for register and recovery email alike, then lets it go', async () => {
    const { input: taken } = await createUser(t.core);
    const { auth } = await createUser(t.core);
    const prober = (await findUserById(t.core.store, auth.id))!;
    const probe = (i: number) =>
      i % 2
        ? outcomeOf(registerUser(t.core, buildRegisterInput({ email: taken.email }), from('x')))
        : outcomeOf(
            Promise.resolve().then(() =>
              updateUser(t.core, freshSession(t.core, prober), { recovery_email: taken.email }, from('x')),
            ),
          );
    const outcomes: string[] = [];
    for (let i = 0; i < LIMIT; i++) outcomes.push(await probe(i));
    expect(outcomes).toEqual(Array(LIMIT).fill('EMAIL_TAKEN'));

    await expect(
      registerUser(t.core, buildRegisterInput({ email: taken.email }), from('x')),
    ).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      lockout: { retryAfterSeconds: IDENTIFIER_PROBE_POLICY.baseLockSeconds },
    });
    // A free identifier waits too: a 200 among 429s would tell which ones are free.
    expect(await outcomeOf(registerUser(t.core, buildRegisterInput(), from('x')))).toBe('TOO_MANY_ATTEMPTS');
    // A name change is no probe and is never held.
    expect(
      await outcomeOf(updateUser(t.core, freshSession(t.core, prober), { name: 'Renamed' }, from('x'))),
    ).toBe('ok');
    // Another address is not affected.
    expect(await outcomeOf(registerUser(t.core, buildRegisterInput({ email: taken.email }), from('y')))).toBe(
      'EMAIL_TAKEN',
    );

    t.clock.advanceSeconds(IDENTIFIER_PROBE_POLICY.baseLockSeconds);
    expect(await outcomeOf(registerUser(t.core, buildRegisterInput(), from('x')))).toBe('ok');
  });

  it('successful registrations count nothing', async () => {
    for (let i = 0; i < LIMIT + 5; i++) {
      expect(await outcomeOf(registerUser(t.core, buildRegisterInput(), from('z')))).toBe('ok');
    }
  });
});
