// GET of a contract's evidence bundle with conditional requests and the response cache. The version
// (revision plus every event's batch state) is read with authorization in one query; on a miss the
// bundle is built in a read-only snapshot together with the version it is filed under.
import type { Principal } from '../auth/principal.js';
import type { ResponseCache } from '../cache/response-cache.js';
import { contractVersion, evidenceEtag } from '../contracts/contract-version.js';
import type { Db } from '../db/database.js';
import type { EvidenceBundle } from '../generated/schemas.js';
import { noneMatchHits, type Representation } from '../http/conditional-get.js';
import { buildEvidenceBundle } from './evidence-bundle.js';

export async function readEvidence(
  ctx: { cache: ResponseCache; reader: Db },
  principal: Principal,
  contractId: string,
  ifNoneMatch: string | undefined,
): Promise<Representation<EvidenceBundle>> {
  const etag = evidenceEtag(await contractVersion(ctx.reader, principal, contractId, { anchors: true }));
  if (noneMatchHits(ifNoneMatch, etag)) return { etag };
  const cached = await ctx.cache.get(`evidence:${contractId}:${etag}`);
  if (cached !== undefined) return { etag, json: cached };
  // Several statements must agree with the key: repeatable read gives them one snapshot.
  const built = await ctx.reader.transaction(
    async (tx) => {
      const version = await contractVersion(tx, principal, contractId, { anchors: true });
      return {
        etag: evidenceEtag(version),
        json: JSON.stringify(await buildEvidenceBundle(tx, principal, contractId)),
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  await ctx.cache.set(`evidence:${contractId}:${built.etag}`, built.json);
  return built;
}
