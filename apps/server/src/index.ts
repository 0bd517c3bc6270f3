export { ConfigError, type EnvConfig, parseEnvConfig, ZEnvConfig } from './config.js';
export { createServerApp, type ServerAppOptions } from './create-app.js';
export { DATABASE_FILE, type RunningServer, type StartOptions, startServer } from './start-server.js';
