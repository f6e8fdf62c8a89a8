// `cms enclave verify` against a real server with its (software-mode) enclave: a fresh attestation verifies
// against the root pinned from `cms enclave info`, with the enclave's own measurements; the AWS Nitro root
// (the default), another measurement or an unreadable root file are refused with their exit codes.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestServer, testEnclave } from '@cms/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './run-cli.js';

let server: { url: string; close(): Promise<void> };
let env: Record<string, string>;
let dir: string;
beforeAll(async () => {
  server = await startTestServer({ enclave: testEnclave() });
  dir = await tempDir();
  env = { CMS_CONFIG_DIR: dir, CMS_SERVER: server.url };
  expect((await runCli(['keys', 'generate'], env)).code).toBe(0);
  expect((await runCli(['login'], env)).code).toBe(0);
});
afterAll(() => server?.close());

describe('cms enclave verify', () => {
  it('verifies a fresh attestation against the pinned root and the expected measurements', async () => {
    const info = JSON.parse((await runCli(['enclave', 'info', '--json'], env)).stdout);
    const root = join(dir, 'root.pem');
    await writeFile(root, info.rootCertificate);
    const pcr0 = info.pcrs['0'] ?? info.pcrs[0];
    expect(pcr0).toMatch(/^[0-9a-f]{96}$/);

    const ok = await runCli(['enclave', 'verify', '--root', root, '--pcr', `0=${pcr0}`, '--json'], env);
    expect(ok, ok.stderr).toMatchObject({ code: 0, stderr: '' });
    const result = JSON.parse(ok.stdout);
    expect(result).toMatchObject({ verified: true, hardwareBacked: false });
    expect(result.pcrs['0']).toBe(pcr0);
    expect(result.kid).toMatch(/^[0-9a-f]{16}$/);
    const human = await runCli(['enclave', 'verify', '--root', root], env);
    expect(human.stdout).toMatch(/^verified\s+yes: chain, freshness, nonce$/m);

    // The default root is AWS Nitro's: a software-mode enclave does not chain to it.
    const nitro = await runCli(['enclave', 'verify'], env);
    expect(nitro.code).toBe(1);
    expect(nitro.stderr).toContain("The enclave's attestation does not verify");
    // Another measurement than the enclave's.
    const wrongPcr = await runCli(['enclave', 'verify', '--root', root, '--pcr', `0=${'ab'.repeat(48)}`], env);
    expect(wrongPcr.code).toBe(1);
    expect(wrongPcr.stderr).toMatch(/pcr/i);
    // Usage errors: exit 2, nothing asked of the server.
    expect((await runCli(['enclave', 'verify', '--root', join(dir, 'missing.pem')], env)).code).toBe(2);
    expect((await runCli(['enclave', 'verify', '--root', root, '--pcr', 'zero=1'], env)).code).toBe(2);
  });
});
