// Public surface of @cms/cli: run the `cms` command in-process, or build its commander program.

export { evidenceOfPdf, pdfAttachments, verifyCompletedPdf } from './commands/completed-pdf.js';
export type { CliIo } from './io.js';
export { createProgram } from './program.js';
export { run } from './run.js';
