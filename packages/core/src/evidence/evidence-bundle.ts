// The evidence bundle (`cms.evidence.v1`) as the spec defines it: what `contracts.evidence()` answers and
// `verifyEvidence` checks. The verifier owns the type; the contract resources import it from here.
import type { components } from '../generated/schema.js';

export type EvidenceBundle = components['schemas']['EvidenceBundle'];
