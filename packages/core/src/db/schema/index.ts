export * from './code-migrations.js';
export * from './events.js';
export * from './identifiers.js';
export * from './mfa.js';
export * from './outbox.js';
export * from './reset.js';
export * from './throttle.js';
export * from './users.js';
