// `cms enclave info | attestation | verify`: the server's confidential-computing enclave, as the API describes
// it, and a fresh attestation of it verified here against roots and measurements you trust.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { errorFromResponse } from '@cms/sdk';
import { AttestationError, attestEnclave } from '@cms/sdk/enclave';
import type { Command } from 'commander';
import { collect } from '../arguments.js';
import { CliFailure, UsageError } from '../cli-errors.js';
import type { CommandContext } from '../context.js';
import { formatFields } from '../output.js';
import { openClient } from '../session.js';

async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || data === undefined)
    throw errorFromResponse(response.status, error, response.headers.get('x-request-id') ?? undefined);
  return data;
}

export function registerEnclaveCommands(program: Command, context: CommandContext): void {
  const enclave = program.command('enclave').description("the server's enclave for confidential terms");
  enclave
    .command('info')
    .description('whether the server runs an enclave, its kind and its public key')
    .addHelpText('after', '\nExample:\n  cms enclave info --json')
    .action(async (_o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const info = await unwrap((await openClient(settings, context.io)).raw.GET('/v1/enclave'));
      out.result(info, () =>
        formatFields(
          Object.entries(info as Record<string, unknown>).map(([k, v]) => [
            k,
            typeof v === 'object' ? JSON.stringify(v) : String(v),
          ]),
        ),
      );
    });
  enclave
    .command('attestation')
    .description("the enclave's attestation document, to check its measurements yourself")
    .option('--nonce <hex>', '16 to 512 random bytes, hex, that the document carries back (default: 32 fresh ones)')
    .addHelpText(
      'after',
      '\nExample:\n  cms enclave attestation --nonce "$(openssl rand -hex 32)" --json > attestation.json',
    )
    .action(async (flags: { nonce?: string }, command: Command) => {
      const { settings, out } = context.begin(command);
      const nonce = flags.nonce ?? randomBytes(32).toString('hex');
      const doc = await unwrap(
        (await openClient(settings, context.io)).raw.GET('/v1/enclave/attestation', { params: { query: { nonce } } }),
      );
      out.result(doc, () => JSON.stringify(doc, null, 2));
    });
  enclave
    .command('verify')
    .description(
      'ask for a fresh attestation (a nonce of ours) and verify it here: certificate chain to a root you trust, freshness, nonce, measurements',
    )
    .option('--root <pem-file>', 'a root certificate to trust, repeatable (default: the AWS Nitro root)', collect)
    .option('--pcr <index=hex>', 'a measurement the enclave must have, repeatable (e.g. 0=<sha384 hex>)', collect)
    .addHelpText(
      'after',
      '\nExamples:\n  cms enclave verify --pcr 0=$PCR0\n  cms enclave info --json | jq -r .rootCertificate > root.pem   # software mode: pin it once\n  cms enclave verify --root root.pem --json',
    )
    .action(async (flags: { root?: string[]; pcr?: string[] }, command: Command) => {
      const { settings, out } = context.begin(command);
      const roots: string[] = [];
      for (const file of flags.root ?? []) {
        try {
          roots.push(await readFile(file, 'utf8'));
        } catch (error) {
          throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
        }
      }
      const expectedPcrs: Record<number, string[]> = {};
      for (const entry of flags.pcr ?? []) {
        const match = /^(\d{1,2})=([0-9a-fA-F]{64,128})$/.exec(entry);
        if (!match) throw new UsageError(`--pcr "${entry}": expected <index>=<hex>`);
        (expectedPcrs[Number(match[1])] ??= []).push(match[2]!.toLowerCase());
      }
      const client = await openClient(settings, context.io);
      let attested: Awaited<ReturnType<typeof attestEnclave>>;
      try {
        attested = await attestEnclave(client, {
          ...(roots.length && { roots }),
          ...(Object.keys(expectedPcrs).length && { expectedPcrs }),
        });
      } catch (error) {
        if (error instanceof AttestationError)
          throw new CliFailure(
            'attestation_failed',
            `The enclave's attestation does not verify (${error.reason}): ${error.message}`,
          );
        throw error;
      }
      const { attestation, kid } = attested;
      const result = {
        verified: true,
        moduleId: attestation.moduleId,
        timestamp: attestation.timestamp.toISOString(),
        hardwareBacked: attestation.hardwareBacked,
        pcrs: attestation.pcrs,
        kid,
      };
      out.result(result, () =>
        formatFields([
          ['verified', 'yes: chain, freshness, nonce' + (Object.keys(expectedPcrs).length ? ', measurements' : '')],
          ['module', result.moduleId],
          ['timestamp', result.timestamp],
          ['hardware', result.hardwareBacked ? 'yes (Nitro)' : 'no (software mode)'],
          ['key id', kid],
          ...Object.entries(result.pcrs).map(([i, v]) => [`pcr${i}`, v] as [string, string]),
        ]),
      );
    });
}
