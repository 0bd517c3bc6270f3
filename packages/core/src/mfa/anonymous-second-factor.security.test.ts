// Invariant: anonymous second-factor attempts (recover, reset) count per identifier as sent and client address, never per account: they cannot lock the owner out, unknown and existing identifiers get the same answers, and a reset request can be neither cancelled nor burned for the owner by anyone else.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import type { RequestMeta } from '../context.js';
import { requestMfaReset } from '../reset/request.js';
import { resetMfa } from '../reset/reset.js';
import {
  createMfaUser,
  latestResetCode,
  openTestCore,
  outcomeOf,
  readOutbox,
  type StoreTestCore,
  totpAt,
} from '../testing/index.js';
import { findUserById } from '../users/find.js';
import { authenticateMfa } from './authenticate.js';
import { disableMfa } from './disable.js';
import { recoverWithCode } from './recover.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

type MfaUser = Awaited<ReturnType<typeof createMfaUser>>;

const FROM_A: RequestMeta = { clientAddress: '203.0.113.7' };
const FROM_B: RequestMeta = { clientAddress: '198.51.100.9' };
const WRONG_RECOVERY = 'AAAAAAAAAAAAAAAA';
const WRONG_CODES = { main_email_code: '22222', recovery_email_code: '33333' };
/** 10 ordinary refusals, then the lock (the same limits as the per-user counter). */
const TEN_THEN_LOCKED = [...Array<string>(10).fill('INVALID_CODE'), 'TOO_MANY_ATTEMPTS'];

async function loginWithTotp(u: MfaUser, meta: RequestMeta) {
  const step = await loginWithPassword(
    t.core,
    { username: u.input.username, password: u.input.password },
    meta,
  );
  if (step.status !== 'mfa_required') throw new Error('expected the MFA step');
  t.clock.advanceSeconds(30);
  return authenticateMfa(t.core, { token: step.mfaToken, code: await totpAt(u.secret, t.clock.now()) }, meta);
}

async function sequenceOf(
  attempt: () => Promise<unknown>,
  times = TEN_THEN_LOCKED.length,
): Promise<string[]> {
  const outcomes: string[] = [];
  for (let i = 0; i < times; i++) outcomes.push(await outcomeOf(attempt()));
  return outcomes;
}

const recover = (identifier: string, code: string, meta: RequestMeta) =>
  recoverWithCode(t.core, { identifier, recovery_code: code }, meta);

const codesOf = async (u: MfaUser) => ({
  main_email_code: await latestResetCode(t.core, u.input.email),
  recovery_email_code: await latestResetCode(t.core, u.recoveryEmail),
});

async function requestReset(u: MfaUser, meta: RequestMeta = FROM_A) {
  const { token } = await requestMfaReset(t.core, { identifier: u.input.username }, meta);
  return { token, codes: await codesOf(u) };
}

describe('anonymous recovery-code guesses', () => {
  it('lock neither the owner’s login, disable nor recovery from another address', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const outcomes = await sequenceOf(() => recover(u.input.username, WRONG_RECOVERY, FROM_A), 12);
    expect(outcomes.slice(0, 10)).toEqual(Array(10).fill('INVALID_CODE'));
    expect(outcomes.slice(10)).toEqual(['TOO_MANY_ATTEMPTS', 'TOO_MANY_ATTEMPTS']);
    // Password + TOTP, from the attacker's address even: the per-user counter is untouched.
    await expect(loginWithTotp(u, FROM_A)).resolves.toMatchObject({ id: u.auth.id });
    const user = (await findUserById(t.core.store, u.auth.id))!;
    await expect(outcomeOf(disableMfa(t.core, user, { code: '000000' }, FROM_A))).resolves.toBe(
      'PROOF_REJECTED',
    );
    // The owner recovers from their own address with a right code.
    await expect(recover(u.input.username, u.recoveryCodes[0]!, FROM_B)).resolves.toMatchObject({
      auth: { id: u.auth.id },
    });
  });

  it('answer unknown and existing identifiers with the same sequence, 401×10 then 429', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const existing = await sequenceOf(() => recover(u.input.username, WRONG_RECOVERY, FROM_A));
    const unknown = await sequenceOf(() => recover('nobody-at-all', WRONG_RECOVERY, FROM_A));
    expect(existing).toEqual(TEN_THEN_LOCKED);
    expect(unknown).toEqual(TEN_THEN_LOCKED);
  });

  it('locking the username from an address leaves the email of the same account open', async () => {
    const u = await createMfaUser(t.core, t.clock);
    await sequenceOf(() => recover(u.input.username, WRONG_RECOVERY, FROM_A), 10);
    await expect(outcomeOf(recover(u.input.username, u.recoveryCodes[0]!, FROM_A))).resolves.toBe(
      'TOO_MANY_ATTEMPTS',
    );
    // The identifier is compared case-insensitively: another spelling is the same counter.
    await expect(outcomeOf(recover(u.input.username.toUpperCase(), WRONG_RECOVERY, FROM_A))).resolves.toBe(
      'TOO_MANY_ATTEMPTS',
    );
    await expect(recover(u.input.email, u.recoveryCodes[0]!, FROM_A)).resolves.toMatchObject({
      auth: { id: u.auth.id },
    });
  });

  it('counts parallel wrong guesses one by one', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const parallel = await Promise.all(
      Array.from({ length: 9 }, () => outcomeOf(recover(u.input.username, WRONG_RECOVERY, FROM_A))),
    );
    expect(parallel).toEqual(Array(9).fill('INVALID_CODE'));
    await expect(outcomeOf(recover(u.input.username, WRONG_RECOVERY, FROM_A))).resolves.toBe('INVALID_CODE');
    await expect(outcomeOf(recover(u.input.username, u.recoveryCodes[0]!, FROM_A))).resolves.toBe(
      'TOO_MANY_ATTEMPTS',
    );
  });

  it('a successful recover does not end the per-user streak of failures behind the password', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const wrongAuth = async () => {
      const step = await loginWithPassword(
        t.core,
        { username: u.input.username, password: u.input.password },
        FROM_A,
      );
      if (step.status !== 'mfa_required') throw new Error('expected the MFA step');
      return authenticateMfa(t.core, { token: step.mfaToken, code: '000000' }, FROM_A);
    };
    expect(await sequenceOf(wrongAuth, 9)).toEqual(Array(9).fill('INVALID_CODE'));
    await expect(recover(u.input.username, u.recoveryCodes[0]!, FROM_A)).resolves.toBeDefined();
    expect(await sequenceOf(wrongAuth, 2)).toEqual(['INVALID_CODE', 'TOO_MANY_ATTEMPTS']);
  });
});

describe('anonymous reset guesses', () => {
  it('answer an unknown token and a live request’s token with the same sequence, 401×10 then 429', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const { token } = await requestReset(u);
    const unknownToken = crypto.randomUUID();
    const existing = await sequenceOf(() => resetMfa(t.core, { id: token, ...WRONG_CODES }, FROM_A));
    const unknown = await sequenceOf(() => resetMfa(t.core, { id: unknownToken, ...WRONG_CODES }, FROM_A));
    expect(existing).toEqual(TEN_THEN_LOCKED);
    expect(unknown).toEqual(TEN_THEN_LOCKED);
  });

  it('answer an unknown id and a user id with a live request with the same sequence', async () => {
    const u = await createMfaUser(t.core, t.clock);
    await requestReset(u);
    const existing = await sequenceOf(() => resetMfa(t.core, { id: u.auth.id, ...WRONG_CODES }, FROM_A));
    const unknown = await sequenceOf(() => resetMfa(t.core, { id: 'no-such-user', ...WRONG_CODES }, FROM_A));
    expect(existing).toEqual(TEN_THEN_LOCKED);
    expect(unknown).toEqual(TEN_THEN_LOCKED);
  });

  it('lock neither the owner’s login nor the owner’s reset from another address', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const { token, codes } = await requestReset(u);
    await sequenceOf(() => resetMfa(t.core, { id: u.auth.id, ...WRONG_CODES }, FROM_A), 12);
    await expect(loginWithTotp(u, FROM_A)).resolves.toMatchObject({ id: u.auth.id });
    await expect(resetMfa(t.core, { id: token, ...codes }, FROM_B)).resolves.toMatchObject({
      id: u.auth.id,
      mfa: false,
    });
  });

  it('5 wrong pairs from one address burn the request for that address only', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const { codes } = await requestReset(u);
    for (let i = 0; i < 5; i++) {
      await expect(outcomeOf(resetMfa(t.core, { id: u.auth.id, ...WRONG_CODES }, FROM_A))).resolves.toBe(
        'INVALID_CODE',
      );
    }
    await expect(outcomeOf(resetMfa(t.core, { id: u.auth.id, ...codes }, FROM_A))).resolves.toBe(
      'INVALID_CODE',
    );
    await expect(resetMfa(t.core, { id: u.auth.id, ...codes }, FROM_B)).resolves.toMatchObject({
      mfa: false,
    });
  });
});

describe('reset requests', () => {
  it('a new request does not end the live one', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const first = await requestReset(u);
    t.clock.advanceSeconds(61);
    const second = await requestReset(u, FROM_B);
    expect(second.codes).not.toEqual(first.codes);
    await expect(resetMfa(t.core, { id: first.token, ...first.codes }, FROM_A)).resolves.toMatchObject({
      mfa: false,
    });
  });

  it('the user-id link takes the codes of any live request', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const first = await requestReset(u);
    t.clock.advanceSeconds(61);
    await requestReset(u, FROM_B);
    await expect(resetMfa(t.core, { id: u.auth.id, ...first.codes }, FROM_A)).resolves.toMatchObject({
      mfa: false,
    });
  });

  it('a fourth live request ends the oldest', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const requests = [];
    for (let i = 0; i < 4; i++) {
      requests.push(await requestReset(u));
      t.clock.advanceSeconds(61);
    }
    const [oldest, second] = requests;
    await expect(outcomeOf(resetMfa(t.core, { id: oldest!.token, ...oldest!.codes }, FROM_A))).resolves.toBe(
      'INVALID_CODE',
    );
    await expect(outcomeOf(resetMfa(t.core, { id: u.auth.id, ...oldest!.codes }, FROM_A))).resolves.toBe(
      'INVALID_CODE',
    );
    await expect(resetMfa(t.core, { id: second!.token, ...second!.codes }, FROM_A)).resolves.toMatchObject({
      mfa: false,
    });
  });

  it('sends at most 5 per account per day; the 6th answers an unusable token and sends nothing', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const resetMails = async () => (await readOutbox(t.core)).filter((m) => m.kind === 'reset-code').length;
    for (let i = 0; i < 5; i++) {
      await requestReset(u);
      t.clock.advanceSeconds(61);
    }
    expect(await resetMails()).toBe(10);
    const sixth = await requestMfaReset(t.core, { identifier: u.input.email }, FROM_B);
    expect(sixth.token).toMatch(/^[0-9a-f-]{36}$/);
    expect(await resetMails()).toBe(10);
    const newest = await codesOf(u);
    await expect(outcomeOf(resetMfa(t.core, { id: sixth.token, ...newest }, FROM_B))).resolves.toBe(
      'INVALID_CODE',
    );
    // A day after the first, one more may be sent.
    t.clock.advanceSeconds(24 * 60 * 60 - 5 * 61 + 1);
    await requestReset(u);
    expect(await resetMails()).toBe(12);
  });
});
