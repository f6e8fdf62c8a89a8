// A server that fails to start stops whatever it had started already: here the embedded chain (a child
// process) is running when the HTTP port turns out to be taken, and no anvil may outlive the failure.
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer } from '../src/testing/start-test-server.js';

const childPids = () =>
  execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('anvil'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));

let taken: Server;
let port: number;
beforeAll(async () => {
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  port = (taken.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

it('stops the embedded chain and rejects with the listen error when the port is taken', async () => {
  const before = childPids();
  await expect(startTestServer({ port, chain: { mode: 'embedded', confirmations: 1 } })).rejects.toMatchObject({
    code: 'EADDRINUSE',
  });
  expect(childPids().filter((pid) => !before.includes(pid))).toEqual([]);
});
