// The media type of an upload, decided by its bytes rather than the client's Content-Type header.

export type SniffedMediaType = 'application/pdf' | 'image/png' | 'image/jpeg' | 'text/plain';

const SIGNATURES: { type: SniffedMediaType; bytes: number[] }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
];

/** Bytes the sniffer needs from the start of a file before it can decide. */
export const SNIFF_BYTES = 8;

/**
 * The binary type the first bytes announce; `text/plain` when they could start UTF-8 text (the whole
 * stream must then pass `TextSniffer`); undefined for anything else.
 */
export function sniffMediaType(head: Uint8Array): SniffedMediaType | undefined {
  const match = SIGNATURES.find((s) => s.bytes.every((b, i) => head[i] === b));
  if (match) return match.type;
  return head.length > 0 && [...head].every(isTextByte) ? 'text/plain' : undefined;
}

/** Control characters other than tab, line feed, form feed and carriage return mark binary data. */
const isTextByte = (b: number) => b >= 0x20 || b === 0x09 || b === 0x0a || b === 0x0c || b === 0x0d;

/** Checks, chunk by chunk, that a stream is UTF-8 text without binary control characters. */
export class TextSniffer {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private ok = true;

  push(chunk: Uint8Array): void {
    if (!this.ok) return;
    try {
      const text = this.decoder.decode(chunk, { stream: true });
      // eslint-disable-next-line no-control-regex
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what marks a file as not text
      if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) this.ok = false;
    } catch {
      this.ok = false;
    }
  }

  /** True when everything pushed was text (an unfinished UTF-8 sequence at the end is not). */
  end(): boolean {
    if (!this.ok) return false;
    try {
      this.decoder.decode();
      return true;
    } catch {
      return false;
    }
  }
}

/** Whether a declared Content-Type agrees with the sniffed type (`text/markdown` is text; octet-stream says nothing). */
export function declaredTypeAgrees(declared: string | undefined, sniffed: SniffedMediaType): boolean {
  const type = declared?.split(';')[0]?.trim().toLowerCase();
  if (!type || type === 'application/octet-stream') return true;
  if (sniffed === 'text/plain') return type === 'text/plain' || type === 'text/markdown';
  return type === sniffed;
}
