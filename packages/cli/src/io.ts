// Everything the CLI takes from its process: streams, environment, stdin, fetch. Tests inject their own.

/** The outside world of one CLI run. */
export interface CliIo {
  /** Receives everything meant for stdout, verbatim. */
  stdout(text: string): void;
  /** Receives everything meant for stderr, verbatim. */
  stderr(text: string): void;
  /**
   * Environment variables the CLI reads: `CMS_SERVER`, `CMS_CONFIG_DIR`, `HOME`.
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
}

/** The real process: the only place the CLI reads `process.env` and the standard streams. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}
