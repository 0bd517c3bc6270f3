export { createTestConfig, createTestCore, type TestCore } from './create-test-core.js';
export { type EnabledMfa, enableMfaForUser, totpAt } from './enable-mfa.js';
export { enqueueTestMail } from './enqueue-test-mail.js';
export { buildRegisterInput, createUser, TEST_META } from './factories.js';
export { ManualClock } from './manual-clock.js';
export { createMfaUser } from './mfa-user.js';
export { latestResetCode } from './outbox.js';
export { type OutboxMail, readOutbox } from './read-outbox.js';
