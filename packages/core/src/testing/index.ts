export { createTestConfig, createTestCore, type TestCore } from './create-test-core.js';
export { enqueueTestMail } from './enqueue-test-mail.js';
export { buildRegisterInput, createUser, TEST_META } from './factories.js';
export { ManualClock } from './manual-clock.js';
