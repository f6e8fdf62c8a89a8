// The evidence bundle: everything needed to verify a contract without trusting this server, in one
// JSON document. Every field is bound to something a verifier recomputes (content hash, signatures,
// event hashes, Merkle proofs and the chain); see docs/signing.md.
import { contractContent, type SigningPayload } from '@cms/sdk';
import { and, asc, eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import { findVisibleContract } from '../contracts/contract-access.js';
import { loadParties } from '../contracts/contract-parties.js';
import { contractView } from '../contracts/contract-view.js';
import type { ContractRow } from '../contracts/mutate-contract.js';
import type { Db } from '../db/database.js';
import { auditEvents, contractSignatures, templateVersions } from '../db/schema/index.js';
import type { EvidenceBundle } from '../generated/schemas.js';
import { ledgerProofsForEvents } from '../ledger/ledger-records.js';

export async function buildEvidenceBundle(db: Db, principal: Principal, contractId: string): Promise<EvidenceBundle> {
  const row = await findVisibleContract(db, principal, contractId);
  const [parties, signatures, events] = await Promise.all([
    loadParties(db, row.id),
    db
      .select()
      .from(contractSignatures)
      .where(eq(contractSignatures.contractId, row.id))
      .orderBy(asc(contractSignatures.recordedAt)),
    db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.organizationId, row.organizationId),
          eq(auditEvents.resourceType, 'contract'),
          eq(auditEvents.resourceId, row.id),
        ),
      )
      .orderBy(asc(auditEvents.seq)),
  ]);
  const proofs = await ledgerProofsForEvents(
    db,
    events.map((e) => e.id),
    { organizationId: row.organizationId },
  );
  const view = contractView(row, parties);
  return {
    type: 'cms.evidence.v1',
    contract: {
      id: row.id,
      organizationId: row.organizationId,
      status: row.status,
      version: row.version,
      contentHash: row.contentHash,
      content: contractContent(view) as EvidenceBundle['contract']['content'],
    },
    signatures: signatures.map((s) => ({
      format: s.format,
      signature: s.signature,
      payload: s.payload as unknown as SigningPayload,
      recordedAt: s.recordedAt.toISOString(),
    })),
    events: events.map((e) => ({
      id: e.id,
      organizationId: e.organizationId,
      seq: e.seq,
      occurredAt: e.occurredAt.toISOString(),
      actorDid: e.actorDid,
      action: e.action,
      resource: { type: e.resourceType, id: e.resourceId },
      data: e.data,
      prevHash: e.prevHash,
      hash: e.hash,
    })),
    // Only events whose batch reached the chain carry a proof worth checking.
    anchors: [...proofs.values()].filter(
      (p) => p.root !== null && (p.status === 'submitted' || p.status === 'confirmed'),
    ) as EvidenceBundle['anchors'],
    ...(row.template && {
      template: await evidenceTemplate(db, {
        organizationId: row.organizationId,
        template: row.template,
        body: row.body,
      }),
    }),
  };
}

/** The template version a contract binds, with the body rendered from it (templates/). */
async function evidenceTemplate(
  db: Db,
  row: { organizationId: string; template: NonNullable<ContractRow['template']>; body: string | null },
): Promise<NonNullable<EvidenceBundle['template']>> {
  const binding = row.template;
  const [version] = await db
    .select()
    .from(templateVersions)
    .where(
      and(
        eq(templateVersions.templateId, binding.id),
        eq(templateVersions.version, binding.version),
        eq(templateVersions.organizationId, row.organizationId),
      ),
    );
  if (!version) throw new Error(`template version ${binding.id} v${binding.version} of a contract is missing`);
  return {
    id: binding.id,
    version: binding.version,
    hash: version.hash,
    content: version.content,
    renderedBody: row.body ?? '',
  };
}
