// The order test files start in. Vitest runs one project's files after another's (sorted by name) and, with no
// results cache (a fresh clone, CI), the larger files of each first: the longest files (a browser flow, the
// generator's drift runs, the README's shell block) then started last and ran alone at the end while the other
// workers sat idle. Here the projects whose files run longest go first and, within a project, the files known
// to run long, so they overlap everything else. Files of one project still run back to back, so a
// non-isolated worker keeps its module graph from one file to the next. Only the order changes: every file runs.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Projects in the order they start; one not listed starts after these. */
const PROJECT_ORDER = [
  '@cms/web',
  'scripts',
  '@cms/cli',
  'example-browser-signing',
  'example-node-quickstart',
  '@cms/sdk',
  '@cms/server',
  '@cms/sdk-tests',
  '@cms/react',
  // The integration run: its 10,000-row bulk test is its longest file by far.
  '@cms/cli (engines)',
  '@cms/server (engines)',
];

/** Files that take tens of seconds (child processes, browsers, restarts): first within their project. */
const LONG_FILES = [
  'packages/web/test/web.browser.test.ts',
  'scripts/generate.test.ts',
  'packages/cli/test/readme-shell.test.ts',
  'packages/cli/test/tty.test.ts',
  'packages/cli/test/bulk.api.test.ts',
  'packages/core/src/enclave/verify-attestation.test.ts',
  'packages/server/test/startup.test.ts',
  'packages/server/test/webhooks-processes.test.ts',
  'packages/server/test/ledger-state-loss.test.ts',
  'packages/server/test/authorization-matrix.api.test.ts',
  'packages/server/test/ledger-embedded-restart.test.ts',
  'packages/server/test/rate-limit.api.test.ts',
  'packages/server/test/redis-sentinel.test.ts',
];

export class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const i = PROJECT_ORDER.indexOf(spec.project.name);
      return i === -1 ? PROJECT_ORDER.length : i;
    };
    const long = (spec: TestSpecification) => {
      const i = LONG_FILES.findIndex((f) => spec.moduleId.endsWith(`/${f}`));
      return i === -1 ? LONG_FILES.length : i;
    };
    return base
      .map((spec, i) => ({ spec, i }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || long(a.spec) - long(b.spec) || a.i - b.i)
      .map(({ spec }) => spec);
  }
}
