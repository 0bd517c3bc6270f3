#!/usr/bin/env node
import { consoleOutput } from './cli/output.js';
import { runCli } from './cli/program.js';

runCli(process.argv.slice(2), process.env, consoleOutput).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('error:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
