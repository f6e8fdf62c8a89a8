// `cms enclave info | attestation`: the server's confidential-computing enclave, as the API describes it.
import { randomBytes } from 'node:crypto';
import { errorFromResponse } from '@cms/sdk';
import type { Command } from 'commander';
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
}
