// On-chain checks of the bundle's anchors, through the caller's own viem client and trusted ledger
// address: each root is anchored (and its event verifies) on that ledger, and each anchor's transaction
// is the one that anchored its root, in the stated block, at the stated time.
import { type Address, type Client, getAddress, type Hex, parseEventLogs, type TransactionReceipt } from 'viem';
import { getChainId, getTransactionReceipt } from 'viem/actions';
import type { Outcome } from '../evidence/evidence-check.js';
import type { CheckedBundle } from '../evidence/evidence-shape.js';
import { contractLedgerAbi } from '../generated/contract-ledger.js';
import { verifyAnchoredEvent } from './verify-anchored-event.js';

type Anchor = CheckedBundle['anchors'][number];

export interface ChainContext {
  client: Client;
  ledgerAddress: Address;
  /** One receipt request per transaction, however many anchors share it. */
  receipts: Map<string, Promise<TransactionReceipt>>;
}

/** `chain.id`: the client's chain is the chain every anchor names. */
export async function chainIdCheck(bundle: CheckedBundle, chain: ChainContext): Promise<Outcome> {
  const id = await getChainId(chain.client);
  const problems = bundle.anchors.flatMap((a, i) =>
    a.chainId === id ? [] : [`anchors[${i}] is on chain ${a.chainId}, but the client is on chain ${id}`],
  );
  return { problems, detail: `chain ${id}` };
}

/** `anchors[i].onChain`: the trusted ledger has the root, unrevoked, verifies the event under it, and recorded it at `anchoredAt`. */
export async function anchorOnChainCheck(anchor: Anchor, chain: ChainContext): Promise<Outcome> {
  const r = await verifyAnchoredEvent({
    client: chain.client,
    ledgerAddress: chain.ledgerAddress,
    eventHash: anchor.eventHash as Hex,
    proof: anchor.proof as Hex[],
    root: anchor.root as Hex,
  });
  const problems = r.verified ? [] : [`the ledger does not verify the event: ${r.failure}`];
  const onChainAt = r.anchoredAt?.toISOString() ?? null;
  if (anchor.status === 'confirmed' && anchor.anchoredAt !== onChainAt)
    problems.push(`anchoredAt is ${anchor.anchoredAt}, but the ledger recorded ${onChainAt}`);
  return { problems, detail: `root anchored at ${onChainAt} in a batch of ${r.leafCount}` };
}

/** `anchors[i].transaction`: the stated transaction succeeded in the stated block and emitted `Anchored` for this root from the ledger. */
export async function anchorTransactionCheck(anchor: Anchor, chain: ChainContext): Promise<Outcome> {
  const hash = anchor.transactionHash as Hex;
  let receipt = chain.receipts.get(hash);
  if (!receipt) chain.receipts.set(hash, (receipt = getTransactionReceipt(chain.client, { hash })));
  const tx = await receipt;
  const problems: string[] = [];
  if (tx.status !== 'success') problems.push(`transaction ${hash} reverted`);
  if (anchor.blockNumber !== null && tx.blockNumber !== BigInt(anchor.blockNumber))
    problems.push(`transaction ${hash} is in block ${tx.blockNumber}, not ${anchor.blockNumber}`);
  const ledger = getAddress(chain.ledgerAddress);
  const anchored = parseEventLogs({ abi: contractLedgerAbi, eventName: 'Anchored', logs: tx.logs }).filter(
    (log) => getAddress(log.address) === ledger && log.args.root === anchor.root,
  );
  if (anchored.length !== 1) problems.push(`transaction ${hash} did not emit Anchored(${anchor.root}) from the ledger`);
  else if (
    anchor.anchoredAt !== null &&
    new Date(Number(anchored[0]!.args.anchoredAt) * 1000).toISOString() !== anchor.anchoredAt
  )
    problems.push('the Anchored event’s time is not anchoredAt');
  return { problems, detail: `Anchored(${anchor.root.slice(0, 10)}…) in block ${tx.blockNumber}` };
}
