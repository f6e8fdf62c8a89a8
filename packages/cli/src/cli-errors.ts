// Errors the CLI itself raises (as opposed to `CmsError`s from the SDK), each with its exit status.

/** The command line was wrong: bad option value, missing input, unreadable input file. Exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly code = 'usage_error';
}

/** The command was well-formed but cannot be carried out (not logged in, key exists, ...). Exits 1. */
export class CliFailure extends Error {
  override name = 'CliFailure';
  constructor(
    /** Stable machine code, e.g. `not_logged_in`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
