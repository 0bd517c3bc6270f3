import { afterEach, describe, expect, it } from 'vitest';
import { findUserForAdmin } from '../../admin/actions.js';
import { authenticateAdminKey, createAdminKey } from '../../admin/keys.js';
import { loginWithPassword } from '../../auth/login.js';
import { type Core, createCore } from '../../context.js';
import { checkKeys, KeyMismatchError } from '../../crypto/key-check.js';
import { resealUnboundCiphertexts } from '../../crypto/reseal.js';
import { requestEmailChange } from '../../email-change/request.js';
import { sendEmailVerification } from '../../email-verification/send.js';
import { verifyEmailWithToken } from '../../email-verification/verify.js';
import { listSecurityEvents } from '../../events/list.js';
import { claimDueMail } from '../../mail/claim-due.js';
import { markMailSent } from '../../mail/mark-sent.js';
import { authenticateMfa } from '../../mfa/authenticate.js';
import { generateMfa } from '../../mfa/generate.js';
import { recoverWithCode } from '../../mfa/recover.js';
import { recordMfaRequirement } from '../../mfa-requirement/record-start.js';
import { requestPasswordReset } from '../../password-reset/request.js';
import { requestMfaReset } from '../../reset/request.js';
import { resetMfa } from '../../reset/reset.js';
import {
  createTestCore,
  createTestDevice,
  createUser,
  type EnabledMfa,
  enableMfaForUser,
  freshSession,
  latestEmailVerification,
  latestResetCode,
  ManualClock,
  readOutbox,
  registerTestCredential,
  TEST_META,
  TestAuthenticator,
  type TestCore,
  testSql,
  totpAt,
} from '../../testing/index.js';
import { dropSchemas, newTestSchemaName, TEST_DATABASE_URL } from '../../testing/test-store.js';
import { findUserById } from '../../users/find.js';
import { startPasskeyLogin } from '../../webauthn/passwordless.js';
import {
  COPIED_TABLES,
  type CopyOptions,
  CopyTargetNotEmptyError,
  copySqliteToPostgres,
} from '../copy-sqlite-to-postgres.js';
import { closeDatabase, openDatabase } from '../sqlite/open.js';
import { migratePostgres } from './migrate.js';
import { openPostgresStore, type PostgresStore } from './store.js';

// Lives under store/postgres/ so only the postgres project runs it: it is SQLite → PostgreSQL
// whichever store the project tests, with a SQLite core (createTestCore) as the source.

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sqliteSource(): Promise<TestCore> {
  const source = createTestCore();
  cleanups.push(() => source.close());
  return source;
}

async function emptyPostgres(): Promise<PostgresStore> {
  const schemaName = newTestSchemaName();
  const store = openPostgresStore(TEST_DATABASE_URL, { schemaName, detectMisuse: true });
  cleanups.push(async () => {
    await store.close();
    await dropSchemas([schemaName]);
  });
  await migratePostgres(store.pool, schemaName);
  return store;
}

/** The copy as the CLI runs it: a connection of its own on the SQLite file. */
async function copy(source: TestCore, target: PostgresStore, options?: CopyOptions) {
  const db = openDatabase(source.databaseFile);
  try {
    return await copySqliteToPostgres(db, target.db, options);
  } finally {
    closeDatabase(db);
  }
}

interface Installation {
  plain: Array<{ id: string; username: string; password: string }>;
  mfa: Array<{ id: string; username: string; password: string } & EnabledMfa>;
  admin: { username: string; password: string };
  /** An MFA token from a password step on SQLite, never used. */
  pendingMfaToken: string;
  /** The recovery code user mfa[0] used on SQLite. */
  usedRecoveryCode: string;
  /** A reset request of mfa[1] made on SQLite, not completed. */
  resetToken: string;
  /** An admin key created on SQLite. */
  adminKey: string;
  /** The trusted-device cookie of mfa[2]'s browser, trusted on SQLite. */
  trustedDeviceToken: string;
}

/** A SQLite installation shaped by the real rules: every table gets rows. */
async function populate({ core, clock }: TestCore): Promise<Installation> {
  // As a server start does: records the key fingerprints and the code migration.
  await checkKeys(core, []);
  await resealUnboundCiphertexts(core);
  const plain = [];
  for (let i = 0; i < 3; i += 1) {
    const { input, auth } = await createUser(core);
    plain.push({ id: auth.id, username: input.username, password: input.password });
  }
  const mfa = [];
  for (let i = 0; i < 3; i += 1) {
    const { input, auth } = await createUser(core);
    mfa.push({
      id: auth.id,
      username: input.username,
      password: input.password,
      ...(await enableMfaForUser(core, auth)),
    });
  }
  clock.advanceSeconds(30);
  const [a, b, c] = mfa;
  const [p0, p1] = plain;
  if (!a || !b || !c || !p0 || !p1) throw new Error('users');
  await testSql(core).run('UPDATE users SET is_admin = 1 WHERE id = ?', p1.id);

  // Failed logins: a counter per user and address, one per unknown identifier, and events.
  for (let i = 0; i < 2; i += 1) {
    await expect(
      loginWithPassword(core, { username: p0.username, password: 'wrong password' }, TEST_META),
    ).rejects.toThrow();
  }
  await expect(
    loginWithPassword(core, { username: 'nobody-here', password: 'wrong password' }, TEST_META),
  ).rejects.toThrow();
  // Complete logins: known login addresses, a used MFA token, the credential's last time step.
  expect(
    (await loginWithPassword(core, { username: p0.username, password: p0.password }, TEST_META)).status,
  ).toBe('authenticated');
  const step = await loginWithPassword(core, { username: c.username, password: c.password }, TEST_META);
  if (step.status !== 'mfa_required') throw new Error('expected the MFA step');
  // A browser trusted at that second step: its cookie's hash (the token-hash key comes along).
  const trustedBrowser = createTestDevice();
  await authenticateMfa(
    core,
    { token: step.mfaToken, code: await totpAt(c.secret, clock.now()), trust_device: true },
    TEST_META,
    undefined,
    trustedBrowser,
  );
  const pending = await loginWithPassword(core, { username: c.username, password: c.password }, TEST_META);
  if (pending.status !== 'mfa_required') throw new Error('expected the MFA step');
  // A recovery (used code, recovery window), a reset request (its two mails sealed in one millisecond).
  const usedRecoveryCode = a.recoveryCodes[0] ?? '';
  await recoverWithCode(core, { identifier: a.username, recovery_code: usedRecoveryCode }, TEST_META);
  const { token: resetToken } = await requestMfaReset(core, { identifier: b.username }, TEST_META);
  // A forgotten-password request, its code and link unused.
  await requestPasswordReset(core, { identifier: p1.username }, TEST_META);
  // One mail delivered: its body wiped, its lease and sent_at_ms kept.
  const { claimed } = await claimDueMail(core, { owner: 'worker-1', limit: 1 });
  const [sent] = claimed;
  if (!sent) throw new Error('no mail to claim');
  await markMailSent(core, sent.id, 'worker-1');

  // An enrollment generated and never confirmed.
  const p2 = await findUserById(core.store, plain[2]?.id ?? '');
  if (!p2) throw new Error('users');
  await generateMfa(core, freshSession(core, p2), TEST_META);
  // A verification mail for an address, not yet used (a minute after registration mailed one).
  clock.advanceSeconds(60);
  await sendEmailVerification(core, freshSession(core, p2), { address: 'email' }, TEST_META);
  // A confirmed email change (its undo link, the old address held) and a pending one.
  await requestEmailChange(core, freshSession(core, p2), { email: `moved-${p2.email}` }, TEST_META);
  await verifyEmailWithToken(core, await latestEmailVerification(core, `moved-${p2.email}`), TEST_META);
  clock.advanceSeconds(60);
  const moved = await findUserById(core.store, p2.id);
  if (!moved) throw new Error('users');
  await requestEmailChange(core, freshSession(core, moved), { email: `pending-${p2.email}` }, TEST_META);

  // A user whose only factor is a security key, and a passkey-login challenge never answered.
  const keyOwner = await createUser(core);
  await registerTestCredential(core, keyOwner.auth, new TestAuthenticator());
  await startPasskeyLogin(core);
  // The operator requires MFA: the start of its grace period.
  await recordMfaRequirement(core.store, clock, { mode: 'all', graceDays: 7 });

  // An operator's key, and an action of it (an event naming the key).
  const { key: adminKey, adminKey: created } = await createAdminKey(core, {
    name: 'ops',
    scopes: ['users:read'],
    expiresAtMs: clock.now() + 86_400_000,
  });
  await findUserForAdmin(core, { key: created, meta: TEST_META }, p0.username);

  // No table may be empty, or the copy of that table proves nothing.
  for (const table of COPIED_TABLES) {
    const row = await testSql(core).get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
    expect(row?.n, table).toBeGreaterThan(0);
  }
  return {
    plain,
    mfa,
    admin: p1,
    pendingMfaToken: pending.mfaToken,
    usedRecoveryCode,
    resetToken,
    adminKey,
    trustedDeviceToken: trustedBrowser.issued ?? '',
  };
}

/** The tables whose order matters: SQLite's rowid, PostgreSQL's `seq`. */
const ORDERED_TABLES = ['security_events', 'outbox'];

/** Boolean columns, which SQLite reads as 0/1. */
const BOOLEAN_COLUMNS: Record<string, string[]> = {
  users: ['is_admin'],
  webauthn_credentials: ['is_passwordless_allowed', 'is_backed_up'],
};

/** Every row of both databases, in insertion order for the ordered tables, else sorted. */
async function sameRows(source: TestCore, target: PostgresStore): Promise<void> {
  for (const table of COPIED_TABLES) {
    const ordered = ORDERED_TABLES.includes(table);
    const sqliteRows = source.store.db.$client
      .prepare(`SELECT * FROM ${table} ORDER BY rowid`)
      .all() as Row[];
    const pgRows = (await target.pool.query(`SELECT * FROM ${table} ORDER BY ${ordered ? 'seq' : '1'}`))
      .rows as Row[];
    const normalize = (rows: Row[]) => {
      // Key order differs between the two CREATE TABLEs; booleans read 0/1 on SQLite.
      const booleans = BOOLEAN_COLUMNS[table] ?? [];
      const shaped = rows.map(({ seq: _seq, ...row }) =>
        JSON.stringify(
          Object.entries({
            ...row,
            ...Object.fromEntries(booleans.map((column) => [column, Boolean(row[column])])),
          }).sort(([a], [b]) => a.localeCompare(b)),
        ),
      );
      return ordered ? shaped : shaped.sort();
    };
    expect(sqliteRows.length, table).toBeGreaterThan(0);
    expect(normalize(pgRows), table).toEqual(normalize(sqliteRows));
  }
}

type Row = Record<string, unknown>;

function coreOn(target: PostgresStore, source: TestCore): { core: Core; clock: ManualClock } {
  const clock = new ManualClock(source.clock.now());
  return { core: createCore({ store: target, clock, config: source.config }), clock };
}

describe('copySqliteToPostgres', () => {
  it('moves an installation: every row, in order, and every login works on PostgreSQL', async () => {
    const source = await sqliteSource();
    const installation = await populate(source);
    const target = await emptyPostgres();
    const progress: Array<{ table: string; copied: number; total: number }> = [];
    const result = await copy(source, target, { batchRows: 2, onProgress: (p) => progress.push(p) });

    expect(result.tables.map((t) => t.table)).toEqual(COPIED_TABLES);
    const last = (table: string) => progress.filter((p) => p.table === table).at(-1);
    for (const { table, rows } of result.tables)
      expect(last(table)).toEqual({ table, copied: rows, total: rows });
    await sameRows(source, target);

    const { core, clock } = coreOn(target, source);
    // Same keys: the copied fingerprints accept them, and other keys are refused.
    await checkKeys(core, []);
    const otherKeys = createCore({
      store: target,
      clock,
      config: { ...source.config, tokenHashKey: new Uint8Array(32).fill(7) },
    });
    await expect(checkKeys(otherKeys, [])).rejects.toBeInstanceOf(KeyMismatchError);

    // The same security events (newest first, ties in insertion order) and the same outbox, opened.
    for (const user of [...installation.plain, ...installation.mfa]) {
      expect(await listSecurityEvents(core, user.id)).toEqual(await listSecurityEvents(source.core, user.id));
    }
    const mails = await readOutbox(core);
    expect(mails).toEqual(await readOutbox(source.core));
    expect(mails.filter((m) => m.kind === 'reset-code' && m.text !== '')).toHaveLength(2);

    // Every user logs in: password, then TOTP for MFA users (one step past what SQLite last accepted).
    for (const user of installation.plain) {
      const result = await loginWithPassword(
        core,
        { username: user.username, password: user.password },
        TEST_META,
      );
      expect(result.status, user.username).toBe('authenticated');
      if (result.status === 'authenticated') expect(result.auth.admin).toBe(user === installation.admin);
    }
    clock.advanceSeconds(30);
    for (const user of installation.mfa) {
      const step = await loginWithPassword(
        core,
        { username: user.username, password: user.password },
        TEST_META,
      );
      if (step.status !== 'mfa_required') throw new Error(`${user.username}: ${step.status}`);
      const auth = await authenticateMfa(
        core,
        { token: step.mfaToken, code: await totpAt(user.secret, clock.now()) },
        {
          clientAddress: '127.0.0.2',
        },
      );
      expect(auth.user).toBe(user.username);
    }
    // The MFA token issued on SQLite still completes its login (the token hash key came along).
    const [a, b, c] = installation.mfa;
    if (!a || !b || !c) throw new Error('users');
    clock.advanceSeconds(30);
    const pending = await authenticateMfa(
      core,
      { token: installation.pendingMfaToken, code: await totpAt(c.secret, clock.now()) },
      TEST_META,
    );
    expect(pending.user).toBe(c.username);
    // The browser trusted on SQLite logs in with the password alone.
    const trusted = await loginWithPassword(
      core,
      { username: c.username, password: c.password },
      TEST_META,
      undefined,
      createTestDevice(installation.trustedDeviceToken),
    );
    expect(trusted.status).toBe('authenticated');

    // Recovery: the code used on SQLite stays used, a remaining one works.
    await expect(
      recoverWithCode(
        core,
        { identifier: a.username, recovery_code: installation.usedRecoveryCode },
        TEST_META,
      ),
    ).rejects.toMatchObject({ code: 'INVALID_CODE' });
    const recovered = await recoverWithCode(
      core,
      { identifier: a.username, recovery_code: a.recoveryCodes[1] ?? '' },
      TEST_META,
    );
    expect(recovered.auth.user).toBe(a.username);

    // The reset requested on SQLite completes with the codes mailed there.
    const reset = await resetMfa(
      core,
      {
        id: installation.resetToken,
        main_email_code: await latestResetCode(core, (await userEmail(core, b.id)) ?? ''),
        recovery_email_code: await latestResetCode(core, b.recoveryEmail),
      },
      TEST_META,
    );
    expect(reset.user).toBe(b.username);

    // The admin key made on SQLite opens the admin API on PostgreSQL.
    expect((await authenticateAdminKey(core, installation.adminKey, 'users:read')).name).toBe('ops');
  });

  it('refuses a target with rows, naming the table, and leaves it as it was', async () => {
    const source = await sqliteSource();
    await populate(source);
    const target = await emptyPostgres();
    await target.pool.query(
      "INSERT INTO key_fingerprints (name, fingerprint, recorded_at_ms) VALUES ('jwt', 'elsewhere', 1)",
    );
    const refused = await copy(source, target).then(
      () => new Error('copied'),
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(CopyTargetNotEmptyError);
    expect((refused as CopyTargetNotEmptyError).table).toBe('key_fingerprints');
    expect((refused as Error).message).toMatch(/key_fingerprints/);
    const counts = await target.pool.query<{ users: number; keys: number }>(
      'SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM key_fingerprints)::int AS keys',
    );
    expect(counts.rows[0]).toEqual({ users: 0, keys: 1 });
  });

  it('refuses a second copy into the same target: the first one committed whole', async () => {
    const source = await sqliteSource();
    await populate(source);
    const target = await emptyPostgres();
    await copy(source, target);
    await expect(copy(source, target)).rejects.toThrow(new CopyTargetNotEmptyError('users').message);
    await sameRows(source, target);
  });

  it('rolls back everything when an insert fails part way', async () => {
    const source = await sqliteSource();
    await populate(source);
    const target = await emptyPostgres();
    // A constraint the copy does not expect, on a late table: the early tables were already written.
    await target.pool.query("ALTER TABLE outbox ADD CONSTRAINT no_mail CHECK (kind = 'none')");
    await expect(copy(source, target)).rejects.toThrow();
    const counts = await target.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    expect(counts.rows[0]?.n).toBe(0);
  });
});

async function userEmail(core: Core, id: string): Promise<string | undefined> {
  const row = await testSql(core).get<{ email: string }>('SELECT email FROM users WHERE id = ?', id);
  return row?.email;
}
