#!/usr/bin/env node
// The `cms` executable.
import { run } from './index.js';

// `cms contracts list | head` closes the pipe early: stop quietly, as other Unix tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

run(process.argv).then((status) => {
  process.exitCode = status;
});
