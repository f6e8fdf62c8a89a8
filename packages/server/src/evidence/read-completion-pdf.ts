// GET of an executed contract's certificate of completion and completed PDF. Both are functions of the
// evidence bundle (and, for the completed PDF, of the documents it names, immutable under their hash),
// so their ETag derives from the bundle's and the built bytes are cached under it.
import type { Principal } from '../auth/principal.js';
import type { ResponseCache } from '../cache/response-cache.js';
import { contractVersion, evidenceEtag } from '../contracts/contract-version.js';
import type { Db } from '../db/database.js';
import type { Enclave } from '../enclave/client/enclave-service.js';
import { AppError } from '../errors/app-error.js';
import type { FileStorage } from '../files/file-storage.js';
import { findFile, readFileBytes } from '../files/send-file.js';
import type { EvidenceBundle } from '../generated/schemas.js';
import { noneMatchHits } from '../http/conditional-get.js';
import { buildCertificatePdf, buildCompletedPdf, executedAt, type OriginalPdf } from './completion-certificate.js';
import { readEvidence } from './read-evidence.js';

export type CompletionPdfKind = 'certificate' | 'completed';

export interface CompletionPdfDeps {
  cache: ResponseCache;
  reader: Db;
  /** The primary: file rows and data keys. */
  db: Db;
  enclave: Enclave;
  storage: FileStorage;
  publicUrl: string;
}

/** The PDF's ETag: the bundle's, tagged with the kind (`"certificate.<revision>.<anchors>"`). */
const pdfEtag = (kind: CompletionPdfKind, evidence: string) => `"${kind}.${evidence.replaceAll('"', '')}"`;

/** `{ etag }` alone when If-None-Match names the current PDF; else `{ etag, bytes }`. */
export async function readCompletionPdf(
  deps: CompletionPdfDeps,
  principal: Principal,
  contractId: string,
  kind: CompletionPdfKind,
  ifNoneMatch: string | undefined,
): Promise<{ etag: string; bytes?: Uint8Array }> {
  // Authorization and the version in one query (not_found for anyone but members and parties).
  const current = pdfEtag(
    kind,
    evidenceEtag(await contractVersion(deps.reader, principal, contractId, { anchors: true })),
  );
  if (noneMatchHits(ifNoneMatch, current)) return { etag: current };
  const evidence = await readEvidence({ cache: deps.cache, reader: deps.reader }, principal, contractId, undefined);
  const bundleJson = evidence.json!;
  const bundle = JSON.parse(bundleJson) as EvidenceBundle;
  if (!executedAt(bundle)) {
    throw new AppError(
      'contract_not_executed',
      `Contract ${contractId} is ${bundle.contract.status}; its certificate of completion exists once it is executed.`,
    );
  }
  const etag = pdfEtag(kind, evidence.etag);
  const key = `${kind}-pdf:${contractId}:${etag}`;
  const cached = await deps.cache.get(key);
  if (cached !== undefined) return { etag, bytes: new Uint8Array(Buffer.from(cached, 'base64')) };
  const input = { bundle, bundleJson, publicUrl: deps.publicUrl };
  const bytes =
    kind === 'certificate'
      ? await buildCertificatePdf(input)
      : await buildCompletedPdf({ ...input, originals: await originalPdfs(deps, bundle) });
  await deps.cache.set(key, Buffer.from(bytes).toString('base64'));
  return { etag, bytes };
}

/** The contract's PDF documents, in the contract's order, as uploaded. */
async function originalPdfs(deps: CompletionPdfDeps, bundle: EvidenceBundle): Promise<OriginalPdf[]> {
  const originals: OriginalPdf[] = [];
  for (const doc of bundle.contract.content.documents) {
    const row = await findFile(deps.db, bundle.contract.organizationId, doc.sha256);
    if (row.mediaType !== 'application/pdf') continue;
    originals.push({ name: doc.name, bytes: await readFileBytes(deps, row) });
  }
  return originals;
}
