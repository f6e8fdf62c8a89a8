#!/usr/bin/env node
// `cms-enclave`: the process that holds CMS's keys. The server talks to it over a unix socket only.
//   cms-enclave serve --socket <path> --data-dir <dir> [--max-concurrency 16] [--max-request-bytes 1048576] [--timeout-ms 5000]
//   cms-enclave recorder-address --data-dir <dir>
//   cms-enclave import-recorder-key --data-dir <dir>      (reads the 0x… key from standard input)
// Run it as its own OS user (docs/security.md): its data directory and socket are owner-only, so the
// server's user reaches the keys only through the operations the socket answers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensurePrivateDir } from './private-files.js';
import { importRecorderKey, openRecorderKey } from './recorder-key.js';
import { startEnclave } from './start-enclave.js';

const USAGE =
  'usage: cms-enclave serve --socket <path> --data-dir <dir> | recorder-address --data-dir <dir> | import-recorder-key --data-dir <dir> < key';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    socket: { type: 'string' },
    'data-dir': { type: 'string' },
    'max-concurrency': { type: 'string' },
    'max-request-bytes': { type: 'string' },
    'timeout-ms': { type: 'string' },
  },
});

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) fail(`--${name} must be a positive integer`);
  return n;
}
function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const command = positionals[0];
const dataDir = values['data-dir'] ?? fail(USAGE);
const keysDir = join(dataDir, 'keys');

if (command === 'recorder-address') {
  ensurePrivateDir(keysDir);
  console.log(openRecorderKey(keysDir).address);
} else if (command === 'import-recorder-key') {
  ensurePrivateDir(keysDir);
  console.log(importRecorderKey(keysDir, readFileSync(0, 'utf8').trim()));
} else if (command === 'serve') {
  const enclave = await startEnclave({
    socketPath: values.socket ?? fail(USAGE),
    dataDir,
    maxConcurrency: positiveInt('max-concurrency', values['max-concurrency'], 16),
    maxRequestBytes: positiveInt('max-request-bytes', values['max-request-bytes'], 1024 * 1024),
    timeoutMs: positiveInt('timeout-ms', values['timeout-ms'], 5000),
  });
  process.stderr.write(
    `${JSON.stringify({ service: 'cms-enclave', level: 'info', msg: 'listening', socket: values.socket, pid: process.pid })}\n`,
  );
  const stop = () => void enclave.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Started by a server over an IPC channel: end with it, so no enclave outlives its server.
  process.on('disconnect', stop);
} else {
  fail(USAGE);
}
