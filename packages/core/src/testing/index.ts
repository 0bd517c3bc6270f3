export { createTestConfig, createTestCore, type TestCore } from './create-test-core.js';
export { buildRegisterInput, createUser, TEST_META } from './factories.js';
export { ManualClock } from './manual-clock.js';
export { type SeedMfaUser, seedMfaUsers } from './seed-mfa-users.js';
