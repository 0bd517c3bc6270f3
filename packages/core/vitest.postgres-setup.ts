/** The PostgreSQL project's global setup; packages/api's uses the same helper. */
export { prepareTestPostgres as default } from './src/testing/prepare-test-postgres.js';
