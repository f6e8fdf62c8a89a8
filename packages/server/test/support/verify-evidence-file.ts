// Verifies an evidence bundle file in a fresh process, as a third party would: no CMS server, only the
// file, a chain RPC URL and the ledger address it trusts. Prints the verification as JSON.
// Usage: node --conditions=source --import tsx verify-evidence-file.ts <bundle.json> [<rpc-url> <ledger-address>]
import { readFile } from 'node:fs/promises';
import { verifyEvidence } from '@cms/sdk/evm';
import { type Address, createPublicClient, http } from 'viem';

const [file, rpcUrl, ledgerAddress] = process.argv.slice(2);
if (!file) throw new Error('usage: verify-evidence-file.ts <bundle.json> [<rpc-url> <ledger-address>]');
const bundle: unknown = JSON.parse(await readFile(file, 'utf8'));
const chain = rpcUrl
  ? { client: createPublicClient({ transport: http(rpcUrl) }), ledgerAddress: ledgerAddress as Address }
  : {};
process.stdout.write(`${JSON.stringify(await verifyEvidence(bundle, { ...chain, requireAnchors: true }))}\n`);
