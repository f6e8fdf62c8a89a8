// `cms-server keys rotate | export-public`: the access-token signing keys in `<CMS_DATA_DIR>/keys`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createKeyRing } from '../auth/key-ring.js';
import { CURRENT_KEY_FILE } from '../auth/signing-key.js';
import type { ServerConfig } from '../config.js';

export async function keysCommand(config: ServerConfig, args: string[], out: (line: string) => void): Promise<void> {
  const [sub] = args;
  const keysDir = join(config.dataDir!, 'keys');
  const ring = () => createKeyRing({ keysDir, retainSeconds: config.accessTokenTtlSeconds + 60 });
  if (sub === 'rotate') {
    // Running servers sharing the key directory switch to the new key within seconds; tokens signed
    // with the old one keep verifying until they expire.
    const { kid } = ring().rotate();
    out(`New access-token signing key ${kid} in ${keysDir}`);
  } else if (sub === 'export-public') {
    // The public keys only (what /.well-known/jwks.json serves), for verifiers that cannot reach the server.
    if (!existsSync(join(keysDir, CURRENT_KEY_FILE)))
      throw new Error(`no signing key in ${keysDir}: start the server once or run \`cms-server keys rotate\``);
    out(JSON.stringify({ keys: ring().jwks() }, null, 2));
  } else {
    throw new Error('usage: cms-server keys rotate | keys export-public');
  }
}
