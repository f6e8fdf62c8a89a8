// Checks an upload while it streams: the size limit (before the bytes are stored, so an oversized body
// is refused without being buffered), the media type by the bytes, and the SHA-256. What can only be
// known at the end (digest, text, PDF structure) is checked by `finish()`.
import { createHash } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { AppError } from '../errors/app-error.js';
import {
  declaredTypeAgrees,
  SNIFF_BYTES,
  type SniffedMediaType,
  sniffMediaType,
  TextSniffer,
} from './sniff-media-type.js';

export interface UploadCheck {
  /** The body's chunks, checked, for the encryptor. */
  chunks: AsyncGenerator<Uint8Array>;
  /** After `chunks` is drained: the file's facts, or the problem that refuses it. */
  finish(): Promise<{ size: number; mediaType: SniffedMediaType }>;
}

export function validateUpload(
  body: AsyncIterable<Uint8Array>,
  o: { maxBytes: number; declaredType: string | undefined; expectedSha256: string },
): UploadCheck {
  const hash = createHash('sha256');
  const text = new TextSniffer();
  const pdf: Uint8Array[] = [];
  let size = 0;
  let mediaType: SniffedMediaType | undefined;

  const decide = (head: Uint8Array) => {
    const sniffed = sniffMediaType(head);
    if (!sniffed) throw new AppError('unsupported_media_type', 'Upload a PDF, PNG, JPEG or UTF-8 text file.');
    if (!declaredTypeAgrees(o.declaredType, sniffed))
      throw new AppError('unsupported_media_type', `The bytes are ${sniffed}, not ${o.declaredType}.`);
    return sniffed;
  };
  const take = (chunk: Uint8Array) => {
    hash.update(chunk);
    if (mediaType === 'text/plain') text.push(chunk);
    else if (mediaType === 'application/pdf') pdf.push(chunk);
    return chunk;
  };

  async function* chunks(): AsyncGenerator<Uint8Array> {
    let head: Uint8Array[] = [];
    let headBytes = 0;
    for await (const chunk of body) {
      size += chunk.byteLength;
      if (size > o.maxBytes) throw tooLarge(o.maxBytes);
      if (mediaType) {
        yield take(chunk);
        continue;
      }
      head.push(chunk);
      headBytes += chunk.byteLength;
      if (headBytes < SNIFF_BYTES) continue;
      const joined = Buffer.concat(head);
      mediaType = decide(joined);
      head = [];
      yield take(joined);
    }
    if (!mediaType) {
      mediaType = decide(Buffer.concat(head));
      yield take(Buffer.concat(head));
    }
  }

  return {
    chunks: chunks(),
    async finish() {
      const actual = hash.digest('hex');
      if (actual !== o.expectedSha256)
        throw new AppError('digest_mismatch', `The body's SHA-256 is ${actual}, not the ${o.expectedSha256} sent.`);
      if (mediaType === 'text/plain' && !text.end())
        throw new AppError('unsupported_media_type', 'The file starts like text but is not UTF-8 text throughout.');
      if (mediaType === 'application/pdf') await assertReadablePdf(Buffer.concat(pdf));
      return { size, mediaType: mediaType! };
    },
  };
}

export const tooLarge = (maxBytes: number) =>
  new AppError('payload_too_large', `Files may be at most ${maxBytes} bytes (CMS_FILE_MAX_BYTES).`);

/** `invalid_pdf` unless pdf-lib parses the bytes into an unencrypted document with at least one page. */
export async function assertReadablePdf(bytes: Uint8Array): Promise<void> {
  let pages: number;
  try {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
    pages = doc.getPageCount();
  } catch (error) {
    const encrypted = error instanceof Error && /encrypted/i.test(error.message);
    throw new AppError(
      'invalid_pdf',
      encrypted ? 'The PDF is encrypted; upload it without a password.' : 'The PDF cannot be parsed.',
    );
  }
  if (pages === 0) throw new AppError('invalid_pdf', 'The PDF has no pages.');
}
