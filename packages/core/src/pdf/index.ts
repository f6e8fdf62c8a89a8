// Public surface of @cms/sdk/pdf: the evidence inside a certificate of completion or a completed PDF
// (`cms.contracts.completedPdf(id)`), read and verified without the server. Brings pdf-lib.
export {
  EVIDENCE_ATTACHMENT,
  evidenceOfPdf,
  isPdf,
  pdfAttachments,
  verifyCompletedPdf,
} from './verify-completed-pdf.js';
