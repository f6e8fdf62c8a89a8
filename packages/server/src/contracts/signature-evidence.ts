import type { Tx } from '../db/database.js';

/**
 * Checks a signature against the locked contract and stores it, inside the change's transaction.
 * `recordedAt` is the time of the change, which its audit event also carries, so an evidence bundle
 * binds the signature's time to that event. The signing service builds one per verified submission.
 */
export type SignatureEvidence = (
  tx: Tx,
  contract: { version: number; contentHash: string },
  role: string,
  recordedAt: Date,
) => Promise<void>;
