// Invariant: usernames and emails are one namespace — an identifier names at most one account, enforced by the database (parallel claims, existing data), so login, recover and reset by it reach that account.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import { recoverWithCode } from '../mfa/recover.js';
import { requestMfaReset } from '../reset/request.js';
import { migrateDatabase } from '../store/sqlite/migrate.js';
import { closeDatabase, openDatabase } from '../store/sqlite/open.js';
import { sqliteStoreOn } from '../store/sqlite/store.js';
import {
  buildRegisterInput,
  createTestCore,
  createUser,
  enableMfaForUser,
  migrateUpTo,
  outcomeOf,
  readOutbox,
  TEST_META,
  type TestCore,
} from '../testing/index.js';
import { findUserByIdentifier } from './find.js';
import { registerUser, type TRegisterInput, ZRegisterInput } from './register.js';

let t: TestCore;
beforeEach(() => {
  t = createTestCore();
});
afterEach(() => t.close());

/** Registration as the API sees it: through the schema, which lowercases identifiers. */
const register = (overrides: Partial<TRegisterInput>) =>
  registerUser(t.core, ZRegisterInput.parse(buildRegisterInput(overrides)), TEST_META);

describe('one namespace for usernames and emails', () => {
  it("refuses a username that is another account's email, case-insensitively; the email keeps reaching its owner", async () => {
    const alice = await createUser(t.core, { username: 'alice', email: 'alice@example.test' });
    const mfa = await enableMfaForUser(t.core, alice.auth);
    t.clock.advanceSeconds(30);

    await expect(
      register({ username: 'Alice@Example.TEST', password: 'mallory password' }),
    ).rejects.toMatchObject({ code: 'USERNAME_TAKEN', fields: { username: expect.any(String) } });

    expect((await findUserByIdentifier(t.core.store, 'alice@example.test'))?.id).toBe(alice.auth.id);
    const login = await loginWithPassword(
      t.core,
      { username: 'alice@example.test', password: alice.input.password },
      TEST_META,
    );
    expect(login.status).toBe('mfa_required');
    await requestMfaReset(t.core, { identifier: 'alice@example.test' }, TEST_META);
    const resetMail = readOutbox(t.core).filter((mail) => mail.kind === 'reset-code');
    expect(resetMail.map((mail) => mail.to).sort()).toEqual(['alice@example.test', mfa.recoveryEmail].sort());
    const recovered = await recoverWithCode(
      t.core,
      { identifier: 'alice@example.test', recovery_code: mfa.recoveryCodes[0] ?? '' },
      TEST_META,
    );
    expect(recovered.auth.id).toBe(alice.auth.id);
  });

  it("refuses an email that is another account's username, case-insensitively", async () => {
    const carol = await register({ username: 'carol@example.test', email: 'carol.main@example.test' });
    await expect(register({ email: 'Carol@Example.TEST' })).rejects.toMatchObject({
      code: 'EMAIL_TAKEN',
      fields: { email: expect.any(String) },
    });
    expect((await findUserByIdentifier(t.core.store, 'carol@example.test'))?.id).toBe(carol.id);
  });

  it('still lets an account use its own email as its username', async () => {
    const dan = await register({ username: 'dan@example.test', email: 'Dan@example.test' });
    expect((await findUserByIdentifier(t.core.store, 'dan@example.test'))?.id).toBe(dan.id);
    await expect(register({ email: 'dan@example.test' })).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
    await expect(register({ username: 'dan@example.test' })).rejects.toMatchObject({
      code: 'USERNAME_TAKEN',
    });
  });

  it('lets exactly one of 20 parallel registrations claiming one identifier as username or email win', async () => {
    const identifier = 'erin@example.test';
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        outcomeOf(register(i % 2 === 0 ? { username: identifier } : { email: identifier.toUpperCase() })),
      ),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(
      outcomes.filter((o) => o !== 'ok').every((o) => o === 'USERNAME_TAKEN' || o === 'EMAIL_TAKEN'),
    ).toBe(true);
    const owners = t.store.db.$client
      .prepare('SELECT count(*) AS n FROM users WHERE username = ? OR email = ?')
      .get(identifier, identifier) as { n: number };
    expect(owners.n).toBe(1);
  });

  it('is a constraint of the database, not only a check before the insert', async () => {
    const frank = await register({ username: 'frank', email: 'frank@example.test' });
    const other = await register({ username: 'other', email: 'other@example.test' });
    const claim = t.store.db.$client.prepare(
      'INSERT INTO identifiers (identifier, user_id, kind) VALUES (?, ?, ?)',
    );
    expect(() => claim.run('frank@example.test', other.id, 'username')).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => claim.run('frank', other.id, 'email')).toThrow(/UNIQUE|PRIMARY KEY/);
    expect((await findUserByIdentifier(t.core.store, 'frank'))?.id).toBe(frank.id);
  });
});

describe('a database that already holds a collision', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'twofold-namespace-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The schema before the namespace was enforced, with rows it allowed. */
  function oldDatabase(rows: [id: string, username: string, email: string][]) {
    const db = openDatabase(join(dir, 'twofold.sqlite'));
    migrateUpTo(db, '0002_events_by_rowid');
    const insert = db.$client.prepare(
      "INSERT INTO users (id, username, email, name, password_hash, created_at) VALUES (?, ?, ?, 'n', 'x', 0)",
    );
    for (const row of rows) insert.run(...row);
    return db;
  }

  it('refuses to migrate, naming the accounts, and leaves the database as it was', () => {
    const db = oldDatabase([
      ['id-alice', 'alice', 'alice@example.test'],
      ['id-mallory', 'alice@example.test', 'mallory@example.test'],
      ['id-bob', 'bob', 'bob@example.test'],
    ]);
    try {
      const applied = () => db.$client.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get();
      const before = applied();
      let message = '';
      try {
        migrateDatabase(db);
      } catch (error) {
        message = error instanceof Error ? error.message : String(error);
      }
      expect(message).toMatch(/alice@example\.test/);
      expect(message).toMatch(/id-alice/);
      expect(message).toMatch(/id-mallory/);
      expect(message).not.toMatch(/id-bob/);
      expect(message).not.toContain('\n');
      expect(applied()).toEqual(before);
      const tables = db.$client.prepare("SELECT name FROM sqlite_master WHERE name = 'identifiers'").all();
      expect(tables).toEqual([]);
    } finally {
      closeDatabase(db);
    }
  });

  it('migrates a database without collisions, every username and email naming its account', async () => {
    const db = oldDatabase([
      ['id-gil', 'gil', 'gil@example.test'],
      ['id-hal', 'hal@example.test', 'hal@example.test'],
    ]);
    try {
      migrateDatabase(db);
      const store = sqliteStoreOn(db);
      expect((await findUserByIdentifier(store, 'gil'))?.id).toBe('id-gil');
      expect((await findUserByIdentifier(store, 'gil@example.test'))?.id).toBe('id-gil');
      expect((await findUserByIdentifier(store, 'hal@example.test'))?.id).toBe('id-hal');
      const claim = db.$client.prepare(
        'INSERT INTO identifiers (identifier, user_id, kind) VALUES (?, ?, ?)',
      );
      expect(() => claim.run('gil@example.test', 'id-hal', 'username')).toThrow(/UNIQUE|PRIMARY KEY/);
    } finally {
      closeDatabase(db);
    }
  });
});
