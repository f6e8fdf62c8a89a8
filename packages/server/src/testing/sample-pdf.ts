// A small valid one-page PDF for tests that upload documents (the server parses every PDF it stores).
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A one-page A4 PDF showing `text`. */
export async function samplePdf(text = 'Statement of work'): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText(text, { x: 50, y: 780, size: 18, font: await doc.embedFont(StandardFonts.Helvetica) });
  return doc.save();
}
