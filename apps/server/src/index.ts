export { ConfigError, type EnvConfig, parseEnvConfig, ZEnvConfig } from './config.js';
export { createServerApp, type ServerAppOptions } from './create-app.js';
export {
  createMailWorker,
  MAIL_POLL_INTERVAL_MS,
  MAIL_STOP_GRACE_MS,
  type MailAttemptOutcome,
  type MailWorker,
  type MailWorkerOptions,
} from './mail-worker.js';
export { SERVER_NODE_FLAGS } from './node-flags.js';
export { createSmtpTransport, type MailTransport, type OutgoingMail } from './smtp-transport.js';
export { DATABASE_FILE, type RunningServer, type StartOptions, startServer } from './start-server.js';
