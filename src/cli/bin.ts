#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { runCli } from './program.js';

// An operator's .env in the working directory, when there is one; variables already set in the environment win.
if (existsSync('.env')) process.loadEnvFile('.env');

// `paperboy preview | head`: a reader that stops early is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// exitCode, not exit(): a running bot keeps the event loop busy and ends on its own signal handling.
process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
// After a bot's shutdown, a request still hanging (the shutdown bound passed) must not keep the process alive.
if (process.argv[2] === 'start') setTimeout(() => process.exit(), 1_000).unref();
