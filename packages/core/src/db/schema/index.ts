export * from './events.js';
export * from './mfa.js';
export * from './outbox.js';
export * from './proven-logins.js';
export * from './reset.js';
export * from './throttle.js';
export * from './users.js';
