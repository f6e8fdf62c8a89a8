// `cms ledger status|proof` and `cms verify <auditEventId>`: an audit event's proof from the server, checked against the
// chain through an RPC node and a ledger address you choose, so the server is trusted for nothing.
import type { LedgerEventProof } from '@cms/sdk';
import { verifyAnchoredEvent } from '@cms/sdk/evm';
import type { Command } from 'commander';
import { createPublicClient, getAddress, type Hex, http, isAddress } from 'viem';
import { CliFailure, UsageError } from '../cli-errors.js';
import type { CommandContext } from '../context.js';
import { formatFields } from '../output.js';
import { openClient } from '../session.js';

const proofFields = (p: LedgerEventProof) =>
  formatFields([
    ['event', p.auditEventId],
    ['status', p.status],
    ['event hash', p.eventHash],
    ['chain', p.chainId === null ? undefined : String(p.chainId)],
    ['ledger', p.ledgerAddress ?? undefined],
    ['transaction', p.transactionHash ?? undefined],
    ['block', p.blockNumber === null ? undefined : String(p.blockNumber)],
    ['root', p.root ?? undefined],
    ['proof', p.proof ? `${p.proof.length} hashes` : undefined],
    ['anchored at', p.anchoredAt ?? undefined],
  ]);

export function registerLedgerCommands(program: Command, context: CommandContext): void {
  const ledger = program.command('ledger').description('where events are anchored, and their proofs');
  ledger
    .command('status')
    .description('chain, ledger contract, head, backlog and chain state (lost anchors) of the server')
    .action(async (_o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const s = await (await openClient(settings, context.io)).ledger.status();
      out.result(s, () =>
        formatFields([
          ['mode', s.mode],
          ['chain', s.chainId === null ? undefined : String(s.chainId)],
          ['ledger', s.ledgerAddress ?? undefined],
          ['reachable', String(s.reachable)],
          ['head', s.head === null ? undefined : String(s.head)],
          [
            'backlog',
            `${s.backlog.events} events (${s.backlog.unbatchedEvents} unbatched, ${s.backlog.pendingBatches} pending and ${s.backlog.submittedBatches} submitted batches)`,
          ],
          ['last error', s.lastError ?? undefined],
          [
            'chain state',
            `${s.chainState.state}${s.chainState.lostBatches ? ` (${s.chainState.lostBatches} lost batches being anchored again)` : ''}`,
          ],
          ['chain detail', s.chainState.detail ?? undefined],
        ]),
      );
    });
  ledger
    .command('proof')
    .description("an audit event's ledger status and Merkle proof")
    .argument('<auditEventId>', 'the audit event')
    .action(async (id: string, _o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const proof = await (await openClient(settings, context.io)).ledger.eventProof(id);
      out.result(proof, () => proofFields(proof));
    });
}

/**
 * `cms verify <auditEventId>`: one anchored event checked on chain, trusting only your RPC node and
 * ledger address. Registered by `verify.ts`, whose `cms verify` also takes an evidence bundle file.
 */
export async function verifyAnchoredEventCommand(
  id: string,
  options: { rpcUrl?: string; ledger?: string },
  command: Command,
  context: CommandContext,
): Promise<void> {
  const { settings, out } = context.begin(command);
  const rpcUrl = options.rpcUrl ?? context.io.env.CMS_VERIFY_RPC_URL;
  const ledgerAddress = options.ledger ?? context.io.env.CMS_VERIFY_LEDGER;
  if (!rpcUrl || !/^https?:\/\//.test(rpcUrl))
    throw new UsageError('--rpc-url: an http(s) JSON-RPC URL of the chain is required');
  if (!ledgerAddress || !isAddress(ledgerAddress, { strict: false }))
    throw new UsageError('--ledger: the 0x address of the ledger contract you trust is required');
  const proof = await (await openClient(settings, context.io)).ledger.eventProof(id);
  if (!proof.root || !proof.proof)
    throw new CliFailure('not_anchored', `Event ${id} is not anchored yet (status ${proof.status}).`);
  if (proof.ledgerAddress && getAddress(proof.ledgerAddress) !== getAddress(ledgerAddress)) {
    out.note(
      `Note: the server says it anchored on ${proof.ledgerAddress}; checking ${getAddress(ledgerAddress)} as asked.`,
    );
  }
  const client = createPublicClient({ transport: http(rpcUrl, { fetchFn: context.io.fetch, retryCount: 1 }) });
  const result = await verifyAnchoredEvent({
    client,
    ledgerAddress: getAddress(ledgerAddress),
    eventHash: proof.eventHash as Hex,
    proof: proof.proof as Hex[],
    root: proof.root as Hex,
  });
  const report = {
    auditEventId: id,
    ...result,
    anchoredAt: result.anchoredAt?.toISOString() ?? null,
    transactionHash: proof.transactionHash,
  };
  out.result(report, () =>
    formatFields([
      ['event', id],
      ['verified', result.verified ? 'yes' : `NO (${result.failure})`],
      ['root', proof.root!],
      ['anchored at', report.anchoredAt ?? undefined],
      ['batch size', result.leafCount === null ? undefined : String(result.leafCount)],
      ['transaction', proof.transactionHash ?? undefined],
    ]),
  );
  if (!result.verified)
    throw new CliFailure('verification_failed', `Event ${id} does not verify on chain: ${result.failure}.`);
}
