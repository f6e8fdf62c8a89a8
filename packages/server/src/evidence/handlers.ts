import type { Context } from 'hono';
import { CACHE_CONTROL } from '../http/cache-control.js';
import { sendRepresentation } from '../http/conditional-get.js';
import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';
import { type CompletionPdfKind, readCompletionPdf } from './read-completion-pdf.js';
import { readEvidence } from './read-evidence.js';

export function evidenceHandlers(
  s: Pick<Services, 'database' | 'responseCache' | 'enclave' | 'files' | 'publicUrl'>,
): Pick<OperationHandlers, 'getContractEvidence' | 'getContractCertificate' | 'getContractCompletedPdf'> {
  const pdf = async (c: Context, kind: CompletionPdfKind, contractId: string, ifNoneMatch: string | undefined) => {
    const principal = c.get('principal');
    const deps = {
      cache: s.responseCache,
      reader: s.database.reader(principal.readAfter),
      db: s.database.db,
      enclave: s.enclave,
      storage: s.files,
      publicUrl: s.publicUrl(),
    };
    const { etag, bytes } = await readCompletionPdf(deps, principal, contractId, kind, ifNoneMatch);
    // Like the evidence, revalidated on every use: confirmed anchors change the certificate.
    const headers = { etag, 'cache-control': CACHE_CONTROL.private };
    if (!bytes) return new Response(null, { status: 304, headers });
    return new Response(bytes as BodyInit, {
      status: 200,
      headers: {
        ...headers,
        'content-type': 'application/pdf',
        'content-length': String(bytes.length),
        'content-disposition': `inline; filename="${contractId}-${kind}.pdf"`,
      },
    });
  };
  return {
    getContractEvidence: async (c) => {
      const principal = c.get('principal');
      const read = { cache: s.responseCache, reader: s.database.reader(principal.readAfter) };
      // Evidence changes after execution too (terminated, expired, anchors confirmed): always revalidated.
      return sendRepresentation(
        c,
        await readEvidence(read, principal, c.req.valid('param').contractId, c.req.valid('header')['if-none-match']),
        CACHE_CONTROL.private,
      );
    },
    getContractCertificate: async (c) =>
      (await pdf(c, 'certificate', c.req.valid('param').contractId, c.req.valid('header')['if-none-match'])) as never,
    getContractCompletedPdf: async (c) =>
      (await pdf(c, 'completed', c.req.valid('param').contractId, c.req.valid('header')['if-none-match'])) as never,
  };
}
