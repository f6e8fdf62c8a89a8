// The certificate of completion of an executed contract and the completed PDF (its documents followed by
// the certificate), built with pdf-lib from the evidence bundle alone: every line it prints is a field of
// the bundle, which is attached as `evidence.json`. Deterministic: no clock, no random ids; the dates
// pdf-lib would take from the clock are the contract's execution time. See docs/documents.md.
import { createHash } from 'node:crypto';
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import type { EvidenceBundle } from '../generated/schemas.js';

export const EVIDENCE_ATTACHMENT = 'evidence.json';
const PRODUCER = 'CMS certificate of completion (pdf-lib)';

const PAGE: [number, number] = [595.28, 841.89]; // A4
const MARGIN = 50;
const WIDTH = PAGE[0] - 2 * MARGIN;

export interface CertificateInput {
  bundle: EvidenceBundle;
  /** The server's public URL, without a trailing slash. */
  publicUrl: string;
}

/** When the contract was executed: the audit event that moved it to `executed`, or undefined. */
export function executedAt(bundle: EvidenceBundle): Date | undefined {
  const event = bundle.events.find((e) => (e.data as { toStatus?: unknown }).toStatus === 'executed');
  return event ? new Date(event.occurredAt) : undefined;
}

const METHODS: Record<string, string> = { jws: 'JWS (compact, did:key)', eip712: 'EIP-712 typed data' };

/** `0x` + SHA-256 of a signature as stored (its UTF-8 string): what the certificate prints as its fingerprint. */
export const signatureFingerprint = (signature: string) =>
  `0x${createHash('sha256').update(signature, 'utf8').digest('hex')}`;

/** The certificate's pages, drawn into `doc` (a new document, or a copy of the contract's PDFs). */
async function drawCertificate(doc: PDFDocument, input: CertificateInput, at: Date): Promise<void> {
  const { bundle, publicUrl } = input;
  const content = bundle.contract.content;
  const w = new Writer(doc, {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
    mono: await doc.embedFont(StandardFonts.Courier),
  });
  w.text('Certificate of completion', { font: 'bold', size: 20, after: 6 });
  w.text(content.title, { font: 'bold', size: 13, after: 10 });
  w.field('Contract id', bundle.contract.id);
  w.field('Organization', bundle.contract.organizationId);
  w.field('Status', `${bundle.contract.status} (version ${bundle.contract.version})`);
  w.field('Executed at', at.toISOString());
  w.field('Content hash', bundle.contract.contentHash);
  w.field('Verify at', `${publicUrl}/contracts/${bundle.contract.id}`);
  w.field('Evidence', `${publicUrl}/v1/contracts/${bundle.contract.id}/evidence`);
  w.text(
    `The evidence bundle is attached to this PDF as ${EVIDENCE_ATTACHMENT}; verify it with \`cms verify\` or the SDK's verifyEvidence, without trusting this server.`,
    { size: 8, after: 4 },
  );

  if (content.documents.length > 0) {
    w.heading('Documents');
    for (const d of content.documents) {
      w.text(`${d.name}${d.mediaType ? ` (${d.mediaType}${d.size !== undefined ? `, ${d.size} bytes` : ''})` : ''}`);
      w.field('SHA-256', d.sha256, { indent: 12 });
    }
  }

  w.heading('Parties');
  content.parties.forEach((p, i) => {
    w.text(`${i + 1}. ${p.name ?? '(no name)'}: ${p.role}, signing order ${p.signingOrder ?? 1}`, { font: 'bold' });
    w.field('DID', p.did, { indent: 12 });
  });

  w.heading('Signatures');
  if (bundle.signatures.length === 0) w.text('None.');
  bundle.signatures.forEach((s, i) => {
    w.text(`${i + 1}. ${s.payload.intent} by ${s.payload.role} at ${s.recordedAt} (signed at ${s.payload.signedAt})`, {
      font: 'bold',
    });
    w.field('Signer', s.payload.signer, { indent: 12 });
    w.field('Method', METHODS[s.format] ?? s.format, { indent: 12 });
    w.field('Fingerprint', signatureFingerprint(s.signature), { indent: 12 });
  });

  w.heading('Audit events');
  for (const e of bundle.events) {
    w.text(`#${e.seq} ${e.occurredAt}  ${e.action}`, { font: 'bold', size: 9 });
    w.field('Actor', e.actorDid, { indent: 12 });
    w.field('Hash', e.hash, { indent: 12 });
  }

  w.heading('Ledger anchors');
  if (bundle.anchors.length === 0) w.text('No event of this contract has been anchored yet.');
  const seqOf = new Map(bundle.events.map((e) => [e.id, e]));
  for (const a of bundle.anchors) {
    const event = seqOf.get(a.auditEventId);
    w.text(`Event #${event?.seq ?? '?'} ${event?.action ?? a.auditEventId}: ${a.status}`, { font: 'bold', size: 9 });
    w.field('Transaction', a.transactionHash ?? '-', { indent: 12 });
    w.field('Block', `${a.blockNumber ?? '-'} on chain id ${a.chainId ?? '-'}`, { indent: 12 });
    w.field('Ledger', a.ledgerAddress ?? '-', { indent: 12 });
    w.field('Merkle root', a.root ?? '-', { indent: 12 });
  }
  w.footers(`Certificate of completion of contract ${bundle.contract.id}`);
}

/** Sets every date and name pdf-lib would otherwise take from the clock or its defaults. */
function fixMetadata(doc: PDFDocument, title: string, at: Date): void {
  doc.setTitle(title);
  doc.setSubject('Certificate of completion');
  doc.setProducer(PRODUCER);
  doc.setCreator(PRODUCER);
  doc.setCreationDate(at);
  doc.setModificationDate(at);
}

async function attachEvidence(doc: PDFDocument, bundleJson: string, at: Date): Promise<void> {
  await doc.attach(new TextEncoder().encode(bundleJson), EVIDENCE_ATTACHMENT, {
    mimeType: 'application/json',
    description: 'Evidence bundle (cms.evidence.v1) of this contract',
    creationDate: at,
    modificationDate: at,
  });
}

/** The certificate of completion alone. `bundleJson` is the bundle exactly as GET /evidence serves it. */
export async function buildCertificatePdf(input: CertificateInput & { bundleJson: string }): Promise<Uint8Array> {
  const at = requireExecuted(input.bundle);
  const doc = await PDFDocument.create({ updateMetadata: false });
  fixMetadata(doc, `Certificate of completion: ${input.bundle.contract.content.title}`, at);
  await drawCertificate(doc, input, at);
  await attachEvidence(doc, input.bundleJson, at);
  return doc.save({ useObjectStreams: false });
}

export interface OriginalPdf {
  name: string;
  bytes: Uint8Array;
}

/**
 * The completed PDF: the pages of each original PDF (in the contract's order), then the certificate's.
 * pdf-lib cannot append to a file incrementally, so the pages are copied into a new file; each original
 * is attached byte for byte as well, so its SHA-256 stays checkable against the contract's documents.
 */
export async function buildCompletedPdf(
  input: CertificateInput & { bundleJson: string; originals: OriginalPdf[] },
): Promise<Uint8Array> {
  const at = requireExecuted(input.bundle);
  const doc = await PDFDocument.create({ updateMetadata: false });
  fixMetadata(doc, input.bundle.contract.content.title, at);
  for (const original of input.originals) {
    const source = await PDFDocument.load(original.bytes, { updateMetadata: false });
    const pages = await doc.copyPages(source, source.getPageIndices());
    for (const page of pages) doc.addPage(page);
  }
  await drawCertificate(doc, input, at);
  await attachEvidence(doc, input.bundleJson, at);
  for (const original of input.originals) {
    await doc.attach(original.bytes, original.name, {
      mimeType: 'application/pdf',
      description: 'Original document of the contract, unchanged',
      creationDate: at,
      modificationDate: at,
    });
  }
  return doc.save({ useObjectStreams: false });
}

function requireExecuted(bundle: EvidenceBundle): Date {
  const at = executedAt(bundle);
  if (!at) throw new Error(`contract ${bundle.contract.id} has no execution event`);
  return at;
}

type FontName = 'regular' | 'bold' | 'mono';
interface LineStyle {
  font?: FontName;
  size?: number;
  indent?: number;
  /** Space after the paragraph. */
  after?: number;
}

/** Top-down text layout over as many pages as it needs, wrapping at spaces (or anywhere in a long token). */
class Writer {
  private page: PDFPage | undefined;
  private y = 0;
  private readonly pages: PDFPage[] = [];

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: Record<FontName, PDFFont>,
  ) {}

  heading(title: string): void {
    this.space(8);
    this.text(title, { font: 'bold', size: 12, after: 3 });
  }

  /** `label: value`, the value in a fixed-width font (identifiers, hashes). */
  field(label: string, value: string, o: { indent?: number } = {}): void {
    const indent = o.indent ?? 0;
    this.ensure(11);
    const labelText = `${label}: `;
    const labelFont = this.fonts.regular;
    this.page!.drawText(this.encodable(labelFont, labelText), {
      x: MARGIN + indent,
      y: this.y - 9,
      size: 9,
      font: labelFont,
    });
    const offset = Math.min(labelFont.widthOfTextAtSize(labelText, 9), 90);
    this.text(value, { font: 'mono', size: 8, indent: indent + offset });
  }

  text(text: string, style: LineStyle = {}): void {
    const font = this.fonts[style.font ?? 'regular'];
    const size = style.size ?? 9;
    const indent = style.indent ?? 0;
    const lineHeight = size * 1.35;
    for (const line of wrap(this.encodable(font, text), font, size, WIDTH - indent)) {
      this.ensure(lineHeight);
      this.page!.drawText(line, { x: MARGIN + indent, y: this.y - size, size, font, color: rgb(0, 0, 0) });
      this.y -= lineHeight;
    }
    this.space(style.after ?? 1);
  }

  footers(label: string): void {
    const font = this.fonts.regular;
    this.pages.forEach((page, i) => {
      page.drawText(this.encodable(font, `${label}, page ${i + 1} of ${this.pages.length}`), {
        x: MARGIN,
        y: MARGIN / 2,
        size: 7,
        font,
        color: rgb(0.35, 0.35, 0.35),
      });
    });
  }

  private space(points: number): void {
    this.y -= points;
  }

  private ensure(height: number): void {
    if (this.page && this.y - height >= MARGIN) return;
    this.page = this.doc.addPage(PAGE);
    this.pages.push(this.page);
    this.y = PAGE[1] - MARGIN;
  }

  /** The standard fonts encode WinAnsi only: any other character prints as `?`. */
  private encodable(font: PDFFont, text: string): string {
    const supported = new Set(font.getCharacterSet());
    return [...text.replace(/[\r\n\t]+/g, ' ')].map((ch) => (supported.has(ch.codePointAt(0)!) ? ch : '?')).join('');
  }
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= width;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    // A token wider than the line (a long DID or URL) is cut where it overflows.
    let rest = word;
    while (!fits(rest)) {
      let n = rest.length - 1;
      while (n > 1 && !fits(rest.slice(0, n))) n--;
      lines.push(rest.slice(0, n));
      rest = rest.slice(n);
    }
    line = rest;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}
