// The embedded enclave as the server runs it: a real child process over its unix socket.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error.js';
import { createLogger } from '../../observability/logger.js';
import { type Enclave, startEnclaveService } from './enclave-service.js';

const context = { organizationId: '0195c6c2-0000-7000-8000-000000000001', purpose: 'test', objectId: 'object-1' };
let dir: string;
let enclave: Enclave;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'enclave-service-'));
  enclave = await startEnclaveService(
    {
      mode: 'embedded',
      dataDir: join(dir, 'enclave'),
      limits: { maxConcurrency: 4, maxRequestBytes: 64 * 1024, timeoutMs: 2000, memoryMb: 128 },
      callTimeoutMs: 3000,
    },
    {
      logger: createLogger({
        level: 'info',
        destination: { write: (line: string) => void logs.push(JSON.parse(line)) },
      }),
    },
  );
}, 60_000);
afterAll(async () => {
  await enclave?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('embedded enclave', () => {
  it('keeps its keys in an owner-only data directory', () => {
    expect(statSync(join(dir, 'enclave')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'enclave/keys/keks.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'enclave/keys/recorder-key.json')).mode & 0o777).toBe(0o600);
  });

  it('generates data keys that decrypt only with their own context', async () => {
    const { plaintextKey, wrappedKey, kekVersion } = await enclave.generateDataKey(context);
    expect(plaintextKey).toHaveLength(32);
    expect(wrappedKey).toHaveLength(65);
    expect(kekVersion).toBe(1);
    expect(Buffer.from(await enclave.decryptDataKey(wrappedKey, context))).toEqual(Buffer.from(plaintextKey));
    await expect(enclave.decryptDataKey(wrappedKey, { ...context, objectId: 'object-2' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(
      enclave.decryptDataKey(wrappedKey, { ...context, organizationId: '0195c6c2-0000-7000-8000-000000000002' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('refuses requests over its size limit without dying', async () => {
    await expect(enclave.generateDataKey({ ...context, objectId: 'x'.repeat(100_000) })).rejects.toMatchObject({
      code: 'too_large',
      message: expect.stringMatching(/exceeds 65536/),
    });
    await expect(enclave.generateDataKey({ ...context, objectId: 'x'.repeat(600) })).rejects.toMatchObject({
      code: 'bad_request',
    });
    expect((await enclave.usage()).maxConcurrency).toBe(4);
  });

  it('answers 503 enclave_unavailable while killed, is restarted, and old wrapped keys still decrypt', async () => {
    const { plaintextKey, wrappedKey } = await enclave.generateDataKey(context);
    const pid = enclave.process!.pid()!;
    process.kill(pid, 'SIGKILL');
    const down = await enclave.generateDataKey(context).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(AppError);
    expect(down).toMatchObject({
      code: 'enclave_unavailable',
      status: 503,
      extra: { headers: { 'retry-after': '1' } },
    });
    let key: Uint8Array | undefined;
    for (let i = 0; i < 200 && !key; i++) {
      key = await enclave.decryptDataKey(wrappedKey, context).catch(() => undefined);
      if (!key) await new Promise((r) => setTimeout(r, 100));
    }
    expect(Buffer.from(key!)).toEqual(Buffer.from(plaintextKey));
    expect(enclave.process!.pid()).not.toBe(pid);
    expect(enclave.process!.restarts()).toBe(1);
    expect(logs.some((l) => l.msg === 'enclave exited; restarting')).toBe(true);
  }, 60_000);
});
