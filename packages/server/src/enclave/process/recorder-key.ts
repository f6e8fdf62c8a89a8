// The chain recorder key (secp256k1): signs anchoring transactions and never leaves the enclave. Created
// at first start in `<dataDir>/recorder-key.json` (0600), or imported once with
// `cms-enclave import-recorder-key` for a key the ledger's owner already authorized.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAddress, sign } from 'viem/accounts';
import { EnclaveError } from './enclave-error.js';
import { createPrivateFile, readJsonFile, writePrivateFile } from './private-files.js';

export const RECORDER_KEY_FILE = 'recorder-key.json';
const HEX32 = /^0x[0-9a-fA-F]{64}$/;

export interface RecorderKey {
  address: `0x${string}`;
  signHash(hash: `0x${string}`): Promise<{ r: `0x${string}`; s: `0x${string}`; yParity: number }>;
}

export function openRecorderKey(dataDir: string): RecorderKey {
  const path = join(dataDir, RECORDER_KEY_FILE);
  if (!existsSync(path)) createPrivateFile(path, JSON.stringify({ privateKey: generatePrivateKey() }));
  const { privateKey } = readJsonFile<{ privateKey: `0x${string}` }>(path);
  const address = privateKeyToAddress(privateKey);
  return {
    address,
    async signHash(hash) {
      if (typeof hash !== 'string' || !HEX32.test(hash))
        throw new EnclaveError('bad_request', 'hash must be 0x and 64 hex digits');
      const { r, s, yParity } = await sign({ hash, privateKey, to: 'object' });
      return { r, s, yParity: yParity ?? 0 };
    },
  };
}

/** Replaces the recorder key with an imported one; answers its address. */
export function importRecorderKey(dataDir: string, privateKey: string): `0x${string}` {
  if (!HEX32.test(privateKey)) throw new Error('the recorder key must be 0x and 64 hex digits');
  writePrivateFile(join(dataDir, RECORDER_KEY_FILE), JSON.stringify({ privateKey }));
  return privateKeyToAddress(privateKey as `0x${string}`);
}
