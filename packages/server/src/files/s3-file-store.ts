// The shared blob store: any S3-compatible object store (AWS S3, MinIO, Ceph, R2, s3rver in tests), so
// several instances serve the same files. A put is one multipart upload (a single PutObject when small)
// that S3 makes visible only when it completes, and aborts on any error: no partial object, ever.
// Reads are ranged GETs with a small read-ahead, because the cipher reads a blob 64 KiB at a time.
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { S3StorageConfig } from '../config.js';
import { assertBlobKey, type BlobStore, BlobStoreUnavailableError } from './blob-store.js';

/** Bytes fetched per GET when reading sequentially. */
const READ_AHEAD_BYTES = 1024 * 1024;
/** Windows kept (one per blob being read): at most this many MiB of memory. */
const READ_AHEAD_WINDOWS = 8;
/** Multipart part size (S3's minimum) and parts in flight: what an upload holds in memory. */
const PART_BYTES = 5 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

export function s3FileStore(config: S3StorageConfig): BlobStore & { close(): void } {
  const client = new S3Client({
    region: config.region,
    ...(config.endpoint && { endpoint: config.endpoint }),
    forcePathStyle: config.forcePathStyle,
    ...(config.credentials && { credentials: config.credentials() }),
    // S3-compatible stores differ in the newer checksum headers; ask for them only where S3 requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 30_000 },
  });
  const Bucket = config.bucket;
  const objectKey = (key: string) => `${config.prefix}${assertBlobKey(key)}`;
  const windows = new Map<string, { start: number; bytes: Uint8Array }>();

  return {
    driver: 's3',
    async put(key, source) {
      let sourceError: { error: unknown } | undefined;
      async function* guarded() {
        try {
          yield* source;
        } catch (error) {
          sourceError = { error };
          throw error;
        }
      }
      const upload = new Upload({
        client,
        params: {
          Bucket,
          Key: objectKey(key),
          Body: Readable.from(guarded()),
          ContentType: 'application/octet-stream',
        },
        partSize: PART_BYTES,
        queueSize: PARTS_IN_FLIGHT,
        leavePartsOnError: false,
      });
      try {
        await upload.done();
      } catch (error) {
        // A refused upload (too large, wrong digest…) keeps its own error; the store's failures are retryable.
        if (sourceError) throw sourceError.error;
        throw unavailable(error, 'store the blob');
      }
    },
    async read(key, offset, length) {
      const hit = windows.get(key);
      if (hit && offset >= hit.start && offset + length <= hit.start + hit.bytes.length) {
        windows.delete(key);
        windows.set(key, hit);
        return hit.bytes.subarray(offset - hit.start, offset - hit.start + length);
      }
      const want = Math.max(length, READ_AHEAD_BYTES);
      let bytes: Uint8Array;
      try {
        const answer = await client.send(
          new GetObjectCommand({ Bucket, Key: objectKey(key), Range: `bytes=${offset}-${offset + want - 1}` }),
        );
        bytes = await answer.Body!.transformToByteArray();
      } catch (error) {
        if (isMissing(error)) throw new Error(`blob ${key} is missing from the S3 bucket`);
        throw unavailable(error, 'read the blob');
      }
      if (bytes.length < length) throw new Error(`blob ${key} is shorter than expected`);
      windows.delete(key);
      windows.set(key, { start: offset, bytes });
      while (windows.size > READ_AHEAD_WINDOWS) windows.delete(windows.keys().next().value!);
      return bytes.subarray(0, length);
    },
    async delete(key) {
      windows.delete(key);
      try {
        await client.send(new DeleteObjectCommand({ Bucket, Key: objectKey(key) }));
      } catch (error) {
        if (!isMissing(error)) throw unavailable(error, 'delete the blob');
      }
    },
    async ping() {
      try {
        await client.send(new HeadBucketCommand({ Bucket }));
      } catch (error) {
        throw unavailable(error, `reach bucket ${Bucket}`);
      }
    },
    close: () => client.destroy(),
  };
}

function isMissing(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404)
  );
}

/** The store's own message (it names the bucket or host, never a credential), first line only. */
function unavailable(error: unknown, what: string): BlobStoreUnavailableError {
  const status = error instanceof S3ServiceException ? ` (${error.$metadata.httpStatusCode ?? '?'})` : '';
  const message = String((error as Error)?.message ?? error)
    .split('\n')[0]!
    .slice(0, 200);
  return new BlobStoreUnavailableError(`S3: could not ${what}${status}: ${message || (error as Error)?.name}`, {
    cause: error,
  });
}
