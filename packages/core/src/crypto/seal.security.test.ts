// Invariant: a ciphertext opens only as what it was sealed for (a user's TOTP secret; outbox mail in mail/outbox.security.test.ts), so copying it to another row never opens it.
import { createCipheriv, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import { createCore } from '../context.js';
import { listDevMail } from '../mail/list-dev-mail.js';
import { authenticateMfa } from '../mfa/authenticate.js';
import { openTotpSecret } from '../mfa/credential.js';
import { enableMfa } from '../mfa/enable.js';
import { generateMfa } from '../mfa/generate.js';
import {
  createMfaUser,
  createUser,
  enqueueTestMail,
  freshSession,
  openTestCore,
  outcomeOf,
  type StoreTestCore,
  TEST_META,
  testSql,
  totpAt,
} from '../testing/index.js';
import { outboxRows } from '../testing/read-outbox.js';
import { findUserById } from '../users/find.js';
import { updateUser } from '../users/update.js';
import { keyIdOf } from './keyring.js';
import { resealUnboundCiphertexts } from './reseal.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

/** The format written before ciphertexts were bound (ac8c81c): iv|tag|data, no associated data. */
function sealUnbound(key: Uint8Array, plaintext: string) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    secretCiphertext: Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64url'),
    keyId: keyIdOf(key),
  };
}

type SealedTable = 'mfa_credentials' | 'mfa_enrollments';

interface SealedRow {
  userId: string;
  secretCiphertext: string;
  keyId: string;
}

async function sealedRowOf(table: SealedTable, userId: string): Promise<SealedRow> {
  const row = await testSql(t.core).get<SealedRow>(
    `SELECT user_id AS "userId", secret_ciphertext AS "secretCiphertext", key_id AS "keyId"
       FROM ${table} WHERE user_id = ?`,
    userId,
  );
  if (!row) throw new Error(`no ${table} row for ${userId}`);
  return row;
}

const credentialOf = (userId: string) => sealedRowOf('mfa_credentials', userId);

/** Writes a sealed secret into a user's row, as an attacker with write access to the database could. */
async function setSealed(
  table: SealedTable,
  userId: string,
  sealed: { secretCiphertext: string; keyId: string },
): Promise<void> {
  await testSql(t.core).run(
    `UPDATE ${table} SET secret_ciphertext = ?, key_id = ? WHERE user_id = ?`,
    sealed.secretCiphertext,
    sealed.keyId,
    userId,
  );
}

async function mfaTokenOf(user: { input: { username: string; password: string } }): Promise<string> {
  const login = await loginWithPassword(
    t.core,
    { username: user.input.username, password: user.input.password },
    TEST_META,
  );
  if (login.status !== 'mfa_required') throw new Error('expected an MFA step');
  return login.mfaToken;
}

async function authOutcome(user: { input: { username: string; password: string } }, secret: string) {
  const token = await mfaTokenOf(user);
  return outcomeOf(authenticateMfa(t.core, { token, code: await totpAt(secret, t.clock.now()) }, TEST_META));
}

describe('a TOTP secret is bound to its user', () => {
  it("refuses user A's sealed secret copied into user B's row, as a wrong code", async () => {
    const a = await createMfaUser(t.core, t.clock);
    const b = await createMfaUser(t.core, t.clock);
    await setSealed('mfa_credentials', b.auth.id, await credentialOf(a.auth.id));

    expect(await authOutcome(b, a.secret)).toBe('INVALID_CODE');
    expect(await authOutcome(b, b.secret)).toBe('INVALID_CODE');
    t.clock.advanceSeconds(30);
    expect(await authOutcome(a, a.secret)).toBe('ok');
  });

  it("refuses user A's pending enrollment copied into user B's", async () => {
    const a = await createUser(t.core);
    const b = await createUser(t.core);
    const userB = await findUserById(t.core.store, b.auth.id);
    if (!userB) throw new Error('no user B');
    await updateUser(
      t.core,
      freshSession(t.core, userB),
      { recovery_email: 'b-recovery@example.test' },
      TEST_META,
    );
    const generatedA = await generateMfa(
      t.core,
      freshSession(t.core, { ...userB, id: a.auth.id }),
      TEST_META,
    );
    const generatedB = await generateMfa(t.core, freshSession(t.core, userB), TEST_META);
    await setSealed('mfa_enrollments', b.auth.id, await sealedRowOf('mfa_enrollments', a.auth.id));

    const withB = await findUserById(t.core.store, b.auth.id);
    if (!withB) throw new Error('no user B');
    const input = {
      code: await totpAt(generatedA.secret, t.clock.now()),
      secret: generatedA.secret,
      recovery_codes: generatedB.recovery_codes,
    };
    expect(await outcomeOf(enableMfa(t.core, freshSession(t.core, withB), input, TEST_META))).toBe(
      'ENROLLMENT_MISMATCH',
    );
  });
});

describe('re-sealing what was written before binding', () => {
  it('binds every unbound row once, in batches; a second run changes nothing', async () => {
    const [key] = t.config.encryptionKeys;
    if (!key) throw new Error('no key');
    const a = await createMfaUser(t.core, t.clock);
    await setSealed('mfa_credentials', a.auth.id, sealUnbound(key, a.secret));
    const c = await createUser(t.core);
    const userC = await findUserById(t.core.store, c.auth.id);
    if (!userC) throw new Error('no user C');
    const pending = await generateMfa(t.core, freshSession(t.core, userC), TEST_META);
    await setSealed('mfa_enrollments', c.auth.id, sealUnbound(key, pending.secret));
    // More mails than one batch holds, each body unbound as ac8c81c wrote it.
    const MAILS = 150;
    for (let i = 0; i < MAILS; i += 1) {
      await enqueueTestMail(t.core, { kind: 'mfa-enabled', to: `old${i}@example.test`, username: `old${i}` });
    }
    const mails = await outboxRows(t.core);
    for (const row of mails) {
      const body = JSON.stringify({ subject: 's', text: `body of ${row.recipient}`, html: '' });
      const { secretCiphertext } = sealUnbound(key, body);
      await testSql(t.core).run(
        'UPDATE outbox SET payload_ciphertext = ? WHERE id = ?',
        secretCiphertext,
        row.id,
      );
    }
    expect((await listDevMail(t.core)).messages.every((m) => m.text === '')).toBe(true);

    expect(await resealUnboundCiphertexts(t.core)).toEqual({ resealed: 2 + mails.length, unreadable: 0 });
    const sql = testSql(t.core);
    const snapshot = async () => ({
      credentials: await sql.all('SELECT * FROM mfa_credentials ORDER BY user_id'),
      enrollments: await sql.all('SELECT * FROM mfa_enrollments ORDER BY user_id'),
      mail: await sql.all('SELECT * FROM outbox ORDER BY id'),
    });
    const after = await snapshot();
    expect(await resealUnboundCiphertexts(t.core)).toEqual({ resealed: 0, unreadable: 0 });
    expect(await snapshot()).toEqual(after);

    expect(await authOutcome(a, a.secret)).toBe('ok');
    const enrollmentC = await sealedRowOf('mfa_enrollments', c.auth.id);
    expect(openTotpSecret(t.core, c.auth.id, enrollmentC)).toBe(pending.secret);
    const opened = (await listDevMail(t.core)).messages;
    expect(opened.filter((m) => m.text === `body of ${m.to}`)).toHaveLength(mails.length);
  });

  it('never opens, nor re-seals later, an unbound ciphertext copied in after the re-seal', async () => {
    const [key] = t.config.encryptionKeys;
    if (!key) throw new Error('no key');
    const attacker = await createMfaUser(t.core, t.clock);
    const victim = await createMfaUser(t.core, t.clock);
    await resealUnboundCiphertexts(t.core);
    // An unbound copy of the attacker's own secret, as a backup from before the upgrade holds it.
    await setSealed('mfa_credentials', victim.auth.id, sealUnbound(key, attacker.secret));
    expect(await authOutcome(victim, attacker.secret)).toBe('INVALID_CODE');
    expect((await resealUnboundCiphertexts(t.core)).resealed).toBe(0);
    t.clock.advanceSeconds(30);
    expect(await authOutcome(victim, attacker.secret)).toBe('INVALID_CODE');
  });

  it('still opens after ENCRYPTION_KEY rotates (new key first), and re-seals under the new key', async () => {
    const a = await createMfaUser(t.core, t.clock);
    const [oldKey] = t.config.encryptionKeys;
    if (!oldKey) throw new Error('no key');
    const newKey = new Uint8Array(randomBytes(32));
    t.core = createCore({
      store: t.store,
      clock: t.clock,
      config: { ...t.config, encryptionKeys: [newKey, oldKey] },
    });
    expect(await authOutcome(a, a.secret)).toBe('ok');

    const b = await createMfaUser(t.core, t.clock);
    expect((await credentialOf(b.auth.id)).keyId).toBe(keyIdOf(newKey));
    await setSealed('mfa_credentials', b.auth.id, sealUnbound(oldKey, b.secret));
    expect((await resealUnboundCiphertexts(t.core)).resealed).toBe(1);
    expect((await credentialOf(b.auth.id)).keyId).toBe(keyIdOf(newKey));
    expect(await authOutcome(b, b.secret)).toBe('ok');
  });
});
