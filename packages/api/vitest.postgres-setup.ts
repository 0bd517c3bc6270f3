/** The PostgreSQL project's global setup: the one packages/core's project runs. */
export { prepareTestPostgres as default } from '@twofold/core/testing';
