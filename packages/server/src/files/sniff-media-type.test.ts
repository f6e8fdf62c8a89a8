import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { contentDigestOf, parseContentDigest } from './content-digest.js';
import { declaredTypeAgrees, sniffMediaType, TextSniffer } from './sniff-media-type.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('media type sniffing', () => {
  it('recognises PDF, PNG, JPEG and text by their bytes', () => {
    expect(sniffMediaType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffMediaType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe('image/png');
    expect(sniffMediaType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(sniffMediaType(Buffer.from('# Terms\n'))).toBe('text/plain');
    expect(sniffMediaType(Buffer.from('MZ\x90\x00\x03'))).toBeUndefined();
    expect(sniffMediaType(bytes())).toBeUndefined();
  });

  it('accepts text only when the whole stream is UTF-8 without binary control characters', () => {
    const ok = new TextSniffer();
    const euro = Buffer.from('price: 5 €\n');
    ok.push(euro.subarray(0, 10)); // splits the € sequence across chunks
    ok.push(euro.subarray(10));
    expect(ok.end()).toBe(true);
    const nul = new TextSniffer();
    nul.push(Buffer.from('text\u0000more'));
    expect(nul.end()).toBe(false);
    const cut = new TextSniffer();
    cut.push(euro.subarray(0, 10));
    expect(cut.end()).toBe(false);
    const invalid = new TextSniffer();
    invalid.push(bytes(0x61, 0xc3, 0x28));
    expect(invalid.end()).toBe(false);
  });

  it('refuses a declared type the bytes contradict', () => {
    expect(declaredTypeAgrees('application/pdf', 'application/pdf')).toBe(true);
    expect(declaredTypeAgrees('text/markdown; charset=utf-8', 'text/plain')).toBe(true);
    expect(declaredTypeAgrees('application/octet-stream', 'image/png')).toBe(true);
    expect(declaredTypeAgrees(undefined, 'image/png')).toBe(true);
    expect(declaredTypeAgrees('image/png', 'application/pdf')).toBe(false);
    expect(declaredTypeAgrees('application/pdf', 'text/plain')).toBe(false);
  });
});

describe('Content-Digest', () => {
  const hex = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  it('reads the sha-256 member (RFC 9530) and writes it back', () => {
    const header = contentDigestOf(hex);
    expect(header).toBe('sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:');
    expect(parseContentDigest(header)).toBe(hex);
    expect(parseContentDigest(`sha-512=:AAAA:, ${header}`)).toBe(hex);
  });
  it('refuses a missing, malformed or other-algorithm digest as validation_failed', () => {
    for (const h of [undefined, 'sha-256=abc', 'sha-512=:AAAA:', 'sha-256=:AAAA:']) {
      const e = (() => {
        try {
          parseContentDigest(h);
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(AppError);
      expect(e).toMatchObject({ code: 'validation_failed' });
    }
  });
});
