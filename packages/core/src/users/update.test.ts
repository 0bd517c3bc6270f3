import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listSecurityEvents } from '../events/list.js';
import {
  createUser,
  freshSession,
  openTestCore,
  readOutbox,
  type StoreTestCore,
  TEST_META,
} from '../testing/index.js';
import { findUserById } from './find.js';
import { updateUser, ZUpdateUserInput } from './update.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const update = (id: string, input: unknown) =>
  Promise.resolve().then(async () =>
    updateUser(
      t.core,
      freshSession(t.core, (await findUserById(t.core.store, id))!),
      ZUpdateUserInput.parse(input),
      TEST_META,
    ),
  );

describe('updateUser', () => {
  it('sets a recovery email, telling the main address and asking the new one to verify; a change also tells the old recovery address', async () => {
    const { auth } = await createUser(t.core);
    const mailed = async (count: number) =>
      (await readOutbox(t.core))
        .slice(0, count)
        .map((m) => `${m.kind} ${m.to}`)
        .sort();
    await expect(update(auth.id, { recovery_email: 'First@Example.test' })).resolves.toMatchObject({
      recovery_email: 'first@example.test',
    });
    expect(await mailed(3)).toEqual(
      [
        `recovery-email-changed ${auth.email}`,
        'email-verification first@example.test',
        // The registration's own.
        `email-verification ${auth.email}`,
      ].sort(),
    );
    await update(auth.id, { recovery_email: 'second@example.test' });
    expect(await mailed(3)).toEqual(
      [
        `recovery-email-changed ${auth.email}`,
        'recovery-email-changed first@example.test',
        'email-verification second@example.test',
      ].sort(),
    );
    expect(
      (await listSecurityEvents(t.core, auth.id)).events.filter((e) => e.type === 'recovery_email_changed'),
    ).toHaveLength(2);
  });

  it('changes the name without mail or event, and the same recovery email is no change', async () => {
    const { auth } = await createUser(t.core);
    await update(auth.id, { recovery_email: 'same@example.test' });
    const mails = (await readOutbox(t.core)).length;
    await expect(
      update(auth.id, { name: 'Renamed', recovery_email: 'SAME@example.test' }),
    ).resolves.toMatchObject({
      name: 'Renamed',
    });
    expect(await readOutbox(t.core)).toHaveLength(mails);
  });

  it('refuses the own email, another account’s email (409) and emptying once set', async () => {
    const { auth } = await createUser(t.core);
    const other = await createUser(t.core);
    await expect(update(auth.id, { recovery_email: auth.email })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(update(auth.id, { recovery_email: other.auth.email })).rejects.toMatchObject({
      code: 'EMAIL_TAKEN',
    });
    await expect(update(auth.id, { recovery_email: '' })).resolves.toMatchObject({ recovery_email: '' });
    await update(auth.id, { recovery_email: 'set@example.test' });
    await expect(update(auth.id, { recovery_email: '' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      fields: { recovery_email: 'cannot be emptied once set' },
    });
  });
});
