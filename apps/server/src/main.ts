#!/usr/bin/env node
import { IdentifierCollisionError, KeyMismatchError } from '@twofold/core';
import { ConfigError, parseEnvConfig } from './config.js';
import { startServer } from './start-server.js';

async function main(): Promise<void> {
  const config = parseEnvConfig(process.env);
  const server = await startServer(config);
  const stop = (signal: string) => {
    console.log(JSON.stringify({ level: 'info', event: 'shutdown', signal }));
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  // These already say what the operator must change: printed as they are.
  if (
    error instanceof ConfigError ||
    error instanceof IdentifierCollisionError ||
    error instanceof KeyMismatchError
  ) {
    console.error(error.message);
  } else {
    console.error('failed to start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
