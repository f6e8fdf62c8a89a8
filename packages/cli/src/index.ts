// Public surface of @cms/cli: run the `cms` command in-process, or build its commander program.

export type { CliIo } from './io.js';
export { createProgram } from './program.js';
export { run } from './run.js';
