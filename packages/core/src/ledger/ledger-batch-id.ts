// The id of the anchoring batch whose Merkle root is `root`: derived from the root, so the `batchId` an
// evidence bundle or a ledger proof names is bound to the root its proof folds to (and a root, anchored
// once, has one batch). A UUID of version 8 (RFC 9562, custom): 122 bits of
// keccak256("cms.ledger-batch.v1" ‖ root).
import { hexToBytes, utf8ToBytes } from '../bytes.js';
import { keccak256Bytes } from '../keccak256.js';

const DOMAIN = utf8ToBytes('cms.ledger-batch.v1');

export function ledgerBatchIdOf(root: `0x${string}`): string {
  const bytes = keccak256Bytes(new Uint8Array([...DOMAIN, ...hexToBytes(root)])).slice(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // version 8
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
