import { eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { contractParties } from '../db/schema/index.js';
import { AppError } from '../errors/app-error.js';
import { assertDocumentsStored } from '../files/assert-documents-stored.js';
import type { Contract, ContractUpdate } from '../generated/schemas.js';
import { assertDistinctParties, hashContent, partyRows } from './contract-content.js';
import { assertAllowed } from './lifecycle.js';
import { mutateContract } from './mutate-contract.js';
import type { ChangeOptions } from './transition-contract.js';

/** Changes a draft's content; `version` increments and the content hash is recomputed. */
export async function updateContract(
  db: Db,
  principal: Principal,
  contractId: string,
  input: ContractUpdate,
  { ifMatch }: ChangeOptions = {},
): Promise<Contract> {
  if (input.parties) assertDistinctParties(input.parties, '/body/parties');
  return mutateContract(
    db,
    principal,
    contractId,
    { audience: 'organization', ifMatch },
    async ({ tx, contract, parties }) => {
      assertAllowed(contract.status, 'update');
      if (input.documents) await assertDocumentsStored(tx, contract.organizationId, input.documents);
      // A template's rendered body names the parties filling its roles: they cannot change under it.
      if (contract.template && input.parties)
        throw new AppError(
          'template_bound',
          'The parties fill the roles of the template this contract was created from; create a new contract from the template instead.',
        );
      const nextParties =
        input.parties ??
        parties.map((p) => ({ did: p.did, role: p.role, name: p.name ?? undefined, signingOrder: p.signingOrder }));
      const content = {
        title: input.title ?? contract.title,
        description: input.description !== undefined ? input.description : contract.description,
        terms: input.terms ?? contract.terms,
        parties: nextParties,
        documents: input.documents ?? contract.documents,
        expiresAt:
          input.expiresAt !== undefined
            ? input.expiresAt === null
              ? null
              : new Date(input.expiresAt)
            : contract.expiresAt,
        ...(contract.template && { template: contract.template }),
        // Confidential terms are sealed once, at creation; edits keep their commitment.
        confidentialCommitment: contract.confidentialCommitment,
      };
      if (input.parties) {
        await tx.delete(contractParties).where(eq(contractParties.contractId, contract.id));
        if (input.parties.length)
          await tx.insert(contractParties).values(partyRows(contract.id, contract.organizationId, input.parties));
      }
      return {
        action: 'update',
        toStatus: 'draft',
        patch: {
          title: content.title,
          description: content.description,
          terms: content.terms,
          documents: content.documents,
          expiresAt: content.expiresAt,
          externalId: input.externalId !== undefined ? input.externalId : contract.externalId,
          metadata: input.metadata ?? contract.metadata,
          version: contract.version + 1,
          contentHash: await hashContent(content),
        },
      };
    },
  );
}
