// The embedded chain's ledger: the deployment this server recorded for the chain, as long as its code is
// still there; otherwise a fresh deployment, recorded. External chains are configured with an address.
import { desc, eq } from 'drizzle-orm';
import type { Address, PublicClient } from 'viem';
import type { LocalAccount } from 'viem/accounts';
import type { Db } from '../../db/database.js';
import { ledgerDeployments } from '../../db/schema/index.js';
import { deployLedger } from './deploy-ledger.js';

export async function ensureLedgerDeployment(db: Db, client: PublicClient, owner: LocalAccount): Promise<Address> {
  const chainId = await client.getChainId();
  const [known] = await db
    .select()
    .from(ledgerDeployments)
    .where(eq(ledgerDeployments.chainId, chainId))
    .orderBy(desc(ledgerDeployments.createdAt))
    .limit(1);
  if (known && (await client.getCode({ address: known.address as Address }))) return known.address as Address;
  const deployed = await deployLedger(client, owner);
  await db
    .insert(ledgerDeployments)
    .values({
      chainId,
      address: deployed.address,
      transactionHash: deployed.transactionHash,
      blockNumber: deployed.blockNumber,
    })
    .onConflictDoUpdate({
      target: [ledgerDeployments.chainId, ledgerDeployments.address],
      set: { transactionHash: deployed.transactionHash, blockNumber: deployed.blockNumber, createdAt: new Date() },
    });
  return deployed.address;
}
