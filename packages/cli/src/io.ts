// Everything the CLI takes from its process: streams, environment, stdin, fetch. Tests inject their own.

/** The outside world of one CLI run. */
export interface CliIo {
  /** Receives everything meant for stdout, verbatim. */
  stdout(text: string): void;
  /**
   * Receives bytes meant for stdout (`files download --out -`).
   * @default process.stdout.write, or `stdout` with the bytes decoded as UTF-8 when `stdout` is replaced alone
   */
  stdoutBytes?(bytes: Uint8Array): void;
  /** Receives everything meant for stderr, verbatim. */
  stderr(text: string): void;
  /**
   * Environment variables the CLI reads: `CMS_*`, `XDG_CONFIG_HOME`, `HOME`, `NO_COLOR`.
   * @default process.env
   */
  env: Readonly<Record<string, string | undefined>>;
  /** Reads all of stdin (for `--file -`). */
  readStdin(): Promise<string>;
  /**
   * The `fetch` the SDK uses.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch;
  /** Whether stdout is a terminal: colours, table truncation and progress bars only then. */
  stdoutIsTTY?: boolean;
  /** Whether stderr is a terminal (progress bars are drawn there). */
  stderrIsTTY?: boolean;
  /** Whether stdin is a terminal: `cms login` and `cms init` prompt only then. */
  stdinIsTTY?: boolean;
  /** Width of the terminal, for tables. */
  columns?: number;
}

/** The real process: the only place the CLI reads `process.env` and the standard streams. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stdoutBytes: (bytes) => void process.stdout.write(bytes),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    stdinIsTTY: process.stdin.isTTY === true,
    ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}
