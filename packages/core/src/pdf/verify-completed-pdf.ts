// The evidence bundle inside a certificate of completion or a completed PDF (GET /v1/contracts/<id>/
// certificate.pdf, completed.pdf): the file attachment `evidence.json`, read with pdf-lib and verified as
// a bundle; the original PDFs the completed PDF attaches must hash to the documents the bundle names.

import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFStream,
  PDFString,
} from 'pdf-lib';
import type { EvidenceBundle } from '../evidence/evidence-bundle.js';
import type { EvidenceCheck, EvidenceVerification } from '../evidence/evidence-check.js';
import { type VerifyEvidenceOptions, verifyEvidence } from '../evidence/verify-evidence.js';
import { sha256OfBytes } from '../resources/files.js';

export const EVIDENCE_ATTACHMENT = 'evidence.json';

/** Whether `bytes` start like a PDF (`%PDF-`). */
export const isPdf = (bytes: Uint8Array) => String.fromCharCode(...bytes.subarray(0, 5)) === '%PDF-';

/** Every file attachment of a PDF (its EmbeddedFiles name tree), by name, decoded. */
export async function pdfAttachments(bytes: Uint8Array): Promise<Map<string, Uint8Array>> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const out = new Map<string, Uint8Array>();
  const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
  const tree = names?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict);
  const visit = (node: PDFDict, depth: number) => {
    if (depth > 32) return;
    const pairs = node.lookupMaybe(PDFName.of('Names'), PDFArray);
    for (let i = 0; pairs && i + 1 < pairs.size(); i += 2) {
      const name = pairs.lookup(i);
      const spec = pairs.lookup(i + 1);
      if (!(name instanceof PDFString || name instanceof PDFHexString) || !(spec instanceof PDFDict)) continue;
      const stream = spec.lookupMaybe(PDFName.of('EF'), PDFDict)?.lookup(PDFName.of('F'));
      if (stream instanceof PDFRawStream) out.set(name.decodeText(), decodePDFRawStream(stream).decode());
      else if (stream instanceof PDFStream) out.set(name.decodeText(), stream.getContents());
    }
    const kids = node.lookupMaybe(PDFName.of('Kids'), PDFArray);
    for (let i = 0; kids && i < kids.size(); i++) {
      const kid = kids.lookup(i);
      if (kid instanceof PDFDict) visit(kid, depth + 1);
    }
  };
  if (tree) visit(tree, 0);
  return out;
}

/** The text of the `evidence.json` attachment, or undefined when the PDF has none. */
export async function evidenceOfPdf(bytes: Uint8Array): Promise<string | undefined> {
  const attachment = (await pdfAttachments(bytes)).get(EVIDENCE_ATTACHMENT);
  return attachment && new TextDecoder().decode(attachment);
}

/**
 * Verifies a certificate of completion or completed PDF: its attached evidence bundle as `verifyEvidence`
 * does, plus `pdf.documents[i]` for each document of the contract attached to the PDF (the completed
 * PDF attaches its original PDFs): their SHA-256 must be the one the bundle names.
 * Throws when the PDF has no `evidence.json` or it is not JSON.
 */
export async function verifyCompletedPdf(
  bytes: Uint8Array,
  options: VerifyEvidenceOptions = {},
): Promise<EvidenceVerification> {
  const attachments = await pdfAttachments(bytes);
  const evidence = attachments.get(EVIDENCE_ATTACHMENT);
  if (!evidence) throw new Error(`the PDF has no ${EVIDENCE_ATTACHMENT} attachment`);
  const bundle = JSON.parse(new TextDecoder().decode(evidence)) as EvidenceBundle;
  const result = await verifyEvidence(bundle, options);
  const documents: EvidenceCheck[] = [];
  for (const [i, d] of (bundle.contract?.content?.documents ?? []).entries()) {
    const attached = attachments.get(d.name);
    if (!attached) continue;
    const sha256 = await sha256OfBytes(attached);
    documents.push({
      check: `pdf.documents[${i}]`,
      ok: sha256 === d.sha256,
      detail:
        sha256 === d.sha256
          ? `${d.name} attached unchanged (sha256 ${sha256.slice(0, 12)}…)`
          : `${d.name} attached hashes to ${sha256}, not ${d.sha256}`,
    });
  }
  const checks = [...result.checks, ...documents];
  return { ...result, checks, valid: checks.every((c) => c.ok) };
}
