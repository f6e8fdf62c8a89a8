// `cms files upload | download`, and the writer `cms contracts document` shares: the SDK hashes uploads
// (sent as Content-Digest) and checks every download's SHA-256 before a byte is written anywhere.
import { access, chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { CliFailure, UsageError } from '../cli-errors.js';
import type { CommandContext } from '../context.js';
import { formatFields } from '../output.js';
import { openClient } from '../session.js';

/** What `files download` and `contracts document` print: where the checked bytes went. */
export interface DownloadResult {
  sha256: string;
  size: number;
  /** The file written, or `-` for stdout. */
  out: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** A SHA-256 argument: 64 lower-case hex digits (upper case is accepted and lowered). */
export function sha256Argument(value: string): string {
  const hex = value.toLowerCase();
  if (!SHA256.test(hex)) throw new UsageError(`"${value}" is not a SHA-256 (64 hex digits)`);
  return hex;
}

/**
 * Writes downloaded bytes to stdout (`-`) or to a file with mode 0644, written beside it and renamed over
 * it (never half written). `defaultName` (no `--out`) never replaces an existing file.
 */
export async function writeDownload(
  context: CommandContext,
  bytes: Uint8Array,
  target: { out?: string; defaultName: string },
): Promise<string> {
  if (target.out === '-') {
    context.io.stdoutBytes?.(bytes);
    return '-';
  }
  const path = target.out ?? target.defaultName;
  if (target.out === undefined && (await exists(path)))
    throw new CliFailure(
      'file_exists',
      `${path} already exists; choose the file with --out <file> (or --out - for stdout)`,
    );
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, bytes, { mode: 0o644 });
    await chmod(temporary, 0o644); // whatever the umask
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new CliFailure(
      'write_failed',
      `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return path;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** Prints a download's result, unless the bytes themselves went to stdout. */
export function printDownload(context: CommandContext, command: Command, result: DownloadResult): void {
  const { out } = context.begin(command);
  if (result.out === '-') return;
  out.result(result, () => `Wrote ${result.size} bytes to ${result.out} (SHA-256 ${result.sha256} checked)`);
}

export function registerFileCommands(program: Command, context: CommandContext): void {
  const files = program
    .command('files')
    .description('upload documents to the organization and download them, checked against their SHA-256');

  files
    .command('upload')
    .description('upload a PDF, PNG, JPEG or UTF-8 text / Markdown file; prints its sha256, size and media type')
    .argument('<path>', 'the file to upload')
    .option('--media-type <type>', 'Content-Type to send (default: the server decides by the bytes)')
    .action(async (path: string, flags: { mediaType?: string }, command: Command) => {
      const { settings, out } = context.begin(command);
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(path));
      } catch (error) {
        throw new UsageError(
          `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
      }
      const client = await openClient(settings, context.io);
      const file = await client.files.upload(bytes, flags.mediaType ? { mediaType: flags.mediaType } : {});
      out.result(file, () =>
        [
          `Stored ${basename(path)}`,
          formatFields([
            ['sha256', file.sha256],
            ['size', String(file.size)],
            ['mediaType', file.mediaType],
            ['createdAt', file.createdAt],
          ]),
          `Reference it in a contract (cms contracts create --file): "documents": [{ "name": "${basename(path)}", "sha256": "${file.sha256}" }]`,
        ].join('\n'),
      );
    });

  files
    .command('download')
    .description('download a file of the organization; refused unless its bytes hash to <sha256>')
    .argument('<sha256>', "the file's SHA-256", sha256Argument)
    .option('--out <file>', 'where to write it (mode 0644), - for stdout (default: ./<sha256>)')
    .action(async (sha256: string, flags: { out?: string }, command: Command) => {
      const { settings } = context.begin(command);
      const client = await openClient(settings, context.io);
      const bytes = await client.files.download(sha256);
      const written = await writeDownload(context, bytes, { out: flags.out, defaultName: sha256 });
      printDownload(context, command, { sha256, size: bytes.byteLength, out: written });
    });
}
