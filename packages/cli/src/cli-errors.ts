// Errors the CLI itself raises (as opposed to `CmsError`s from the SDK), each with its exit status.

/** The command line was wrong: bad option value, missing input, unreadable input file. Exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly code = 'usage_error';
}

/** The command was well-formed but cannot be carried out (not logged in, key exists, ...). */
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

/** A bulk run finished, but some of its rows failed (the report says which). Exits 8. */
export class PartialFailure extends Error {
  override name = 'PartialFailure';
  readonly code = 'bulk_rows_failed';
}
