export {
  createTestConfig,
  createTestCore,
  openTestCore,
  type StoreTestCore,
  sqliteDbOf,
  TEST_ARGON2_COST,
  type TestCore,
  type TestCoreOptions,
} from './create-test-core.js';
export { createTestDevice, type TestDevice } from './device.js';
export { type EnabledMfa, enableMfaForUser, totpAt } from './enable-mfa.js';
export { enqueueTestMail, enqueueTestResetCode, TEST_RESET_CODE } from './enqueue-test-mail.js';
export { buildRegisterInput, createUser, TEST_META } from './factories.js';
export { freshSession } from './fresh-session.js';
export { ManualClock } from './manual-clock.js';
export { createMfaUser } from './mfa-user.js';
export { migrateUpTo } from './migrate-up-to.js';
export {
  latestEmailChangeUndo,
  latestEmailVerification,
  latestPasswordReset,
  latestResetCode,
} from './outbox.js';
export { outcomeOf } from './outcome-of.js';
export { prepareTestPostgres } from './prepare-test-postgres.js';
export { type OutboxMail, readOutbox } from './read-outbox.js';
export { rowsOfUser } from './rows-of-user.js';
export { type SeedMfaUser, seedMfaUsers } from './seed-mfa-users.js';
export { signWithSessionKey } from './sign-session-claims.js';
export { type TestSql, testSql } from './test-sql.js';
export {
  dropSchemas,
  newTestSchemaName,
  type OpenedTestStore,
  openTestStore,
  TEST_DATABASE_URL,
  testStoreDialect,
} from './test-store.js';
export {
  registerTestCredential,
  TEST_ORIGIN,
  TestAuthenticator,
  type TestAuthenticatorOptions,
} from './webauthn.js';
