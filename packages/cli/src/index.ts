// Public surface of @cms/cli: run the `cms` command in-process, or build its commander program.
export { run } from './run.js';
export { createProgram } from './program.js';
export type { CliIo } from './io.js';
