// The blob store a file test runs against: a temporary directory (`local`), or a real S3-compatible server
// (s3rver, started here on a free port with its own directory) when `CMS_TEST_FILE_STORAGE=s3` — what the
// integration run sets, so the same file tests pass on both drivers. `blobs()` lists what the store holds,
// the way an operator would see it (files on disk; objects in the bucket).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import type { FilesConfig } from '../../src/config.js';

export interface StoredBlob {
  key: string;
  bytes: Buffer;
  /** File mode bits (local only). */
  mode?: number;
}

export interface TestFileStorage {
  driver: 'local' | 's3';
  config: FilesConfig;
  blobs(): Promise<StoredBlob[]>;
  /** s3 only: stops the S3 server (its objects are kept) and starts it again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

// The SDK's notice that its 2027 releases need Node 22 is for operators, not test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const testFileStorageDriver = (): 'local' | 's3' =>
  process.env.CMS_TEST_FILE_STORAGE === 's3' ? 's3' : 'local';

export async function startTestFileStorage(
  maxBytes: number,
  driver = testFileStorageDriver(),
): Promise<TestFileStorage> {
  const dir = mkdtempSync(join(tmpdir(), `cms-files-${driver}-`));
  if (driver === 'local') {
    return {
      driver,
      config: { driver: 'local', dir, maxBytes },
      blobs: async () =>
        readdirSync(dir, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => {
            const path = join(e.parentPath, e.name);
            return { key: path.slice(dir.length + 1), bytes: readFileSync(path), mode: statSync(path).mode & 0o777 };
          }),
      stop: () => Promise.reject(new Error('the local store cannot be stopped')),
      start: () => Promise.resolve(),
      close: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const bucket = 'cms-test';
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const run = (port: number) =>
    new S3rver({
      port,
      address: '127.0.0.1',
      silent: true,
      directory: dir,
      configureBuckets: [{ name: bucket, configs: [] }],
    });
  let server = run(0);
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const prefix = `t${randomBytes(4).toString('hex')}/`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  let running = true;
  return {
    driver,
    config: {
      driver: 's3',
      maxBytes,
      s3: { bucket, endpoint, region: 'us-east-1', forcePathStyle: true, credentials: () => credentials, prefix },
    },
    async blobs() {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      return Promise.all(
        (listed.Contents ?? []).map(async ({ Key }) => {
          const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
          return { key: Key!.slice(prefix.length), bytes: Buffer.from(await object.Body!.transformToByteArray()) };
        }),
      );
    },
    async stop() {
      await server.close();
      running = false;
    },
    async start() {
      server = run(port);
      await server.run();
      running = true;
    },
    async close() {
      client.destroy();
      if (running) await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
