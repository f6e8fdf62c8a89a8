import { and, eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { contractParties, contracts } from '../db/schema/index.js';
import { uuidv7 } from '../db/uuidv7.js';
import type { Enclave } from '../enclave/client/enclave-service.js';
import { sealConfidentialTerms, storeSealedTerms } from '../enclave/confidential/seal-confidential-terms.js';
import { AppError } from '../errors/app-error.js';
import { announceEvents } from '../events/announce-events.js';
import type { EventNotice } from '../events/event-bus.js';
import { assertDocumentsStored } from '../files/assert-documents-stored.js';
import type { Contract, ContractCreate } from '../generated/schemas.js';
import { contentFromTemplate, type TemplatedContent } from '../templates/create-contract-from-template.js';
import { assertDistinctParties, hashContent, partyRows } from './contract-content.js';
import { contractView } from './contract-view.js';
import { appendHistory } from './mutate-contract.js';

/**
 * Creates a draft with its parties, history, audit event and outbox row in one transaction. Confidential
 * terms are sealed by `enclave` first (503 `enclave_unavailable` without one); the create event records
 * the enclave's attestation of the seal.
 */
export async function createContract(
  db: Db,
  principal: Principal,
  input: ContractCreate,
  enclave?: Enclave,
): Promise<Contract> {
  const now = new Date();
  const id = uuidv7(now.getTime());
  const plain = input.template ? undefined : plainContent(input);
  // Sealed before the transaction: the enclave is a round trip of its own, and holds nothing of the transaction.
  const sealed = input.confidentialTerms
    ? await sealConfidentialTerms(enclave ?? missingEnclave(), {
        organizationId: principal.organizationId,
        contractId: id,
        envelope: input.confidentialTerms,
      })
    : undefined;
  let notice: EventNotice | undefined;
  const created = await db.transaction(async (tx) => {
    // From a template: version, variables, roles and rendered body are resolved in this transaction.
    const templated: TemplatedContent | undefined = input.template
      ? await contentFromTemplate(tx, principal, { ...input, template: input.template }, now)
      : undefined;
    const template = templated?.template ?? null;
    const body = templated?.body ?? null;
    const base = templated ?? plain!;
    const content = {
      title: base.title,
      description: input.description ?? null,
      terms: base.terms,
      parties: base.parties,
      documents: base.documents,
      expiresAt: base.expiresAt,
    };
    assertDistinctParties(content.parties, '/body/parties');
    await assertDocumentsStored(tx, principal.organizationId, content.documents);
    const contentHash = await hashContent({
      ...content,
      ...(template && { template }),
      confidentialCommitment: sealed?.commitment,
    });
    if (input.supersedes) {
      const [target] = await tx
        .select({ status: contracts.status })
        .from(contracts)
        .where(and(eq(contracts.id, input.supersedes), eq(contracts.organizationId, principal.organizationId)));
      if (!target || target.status === 'draft') {
        throw new AppError(
          'invalid_reference',
          'supersedes must name a contract of your organization that has been sent.',
          {
            errors: [
              {
                path: '/body/supersedes',
                message: target ? 'a draft cannot be amended; edit it instead' : 'no such contract',
              },
            ],
          },
        );
      }
    }
    const [row] = await tx
      .insert(contracts)
      .values({
        id,
        organizationId: principal.organizationId,
        ...content,
        status: 'draft',
        version: 1,
        revision: 1,
        contentHash,
        template,
        body,
        confidentialCommitment: sealed?.commitment ?? null,
        externalId: input.externalId ?? null,
        metadata: input.metadata ?? {},
        supersedes: input.supersedes ?? null,
        createdBy: principal.did,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const rows = content.parties.length
      ? await tx
          .insert(contractParties)
          .values(partyRows(id, principal.organizationId, content.parties))
          .returning()
      : [];
    if (sealed) await storeSealedTerms(tx, { organizationId: principal.organizationId, contractId: id, sealed, now });
    const auditData = {
      ...(template && { template: { id: template.id, version: template.version, hash: template.hash } }),
      ...(sealed && {
        confidentialTerms: {
          commitment: sealed.commitment,
          attestation: Buffer.from(sealed.attestation).toString('base64'),
        },
      }),
    };
    notice = await appendHistory(tx, row!, { action: 'create', auditData }, null, principal.did, now);
    return contractView(row!, rows);
  });
  announceEvents(db, notice);
  return created;
}

/** The content of a contract created without a template. */
function plainContent(input: ContractCreate) {
  if (input.title === undefined)
    throw new AppError('validation_failed', 'A contract needs a title (or a template).', {
      errors: [{ path: '/body/title', message: 'Required' }],
    });
  if (input.parties !== undefined && !Array.isArray(input.parties)) {
    throw new AppError('validation_failed', 'Parties map role keys only with a template.', {
      errors: [{ path: '/body/parties', message: 'must be an array of parties' }],
    });
  }
  return {
    title: input.title,
    terms: input.terms ?? {},
    parties: input.parties ?? [],
    documents: input.documents ?? [],
    expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
  };
}

function missingEnclave(): never {
  throw new AppError('enclave_unavailable', 'Confidential terms need the enclave, and this caller has none.');
}
