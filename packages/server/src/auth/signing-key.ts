// The server's Ed25519 key for access tokens: generated on first start into `<dataDir>/keys` with
// mode 0600, or kept in memory when the server has no data directory (tests).
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SigningKey {
  /** RFC 7638 thumbprint of the public key. */
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const FILE = 'access-token-ed25519.json';

export function loadOrCreateSigningKey(keysDir: string | undefined): SigningKey {
  if (keysDir) {
    const path = join(keysDir, FILE);
    if (existsSync(path)) return fromJwk(JSON.parse(readFileSync(path, 'utf8')));
    const key = generate();
    mkdirSync(keysDir, { recursive: true, mode: 0o700 });
    chmodSync(keysDir, 0o700);
    writeFileSync(path, JSON.stringify(key.privateKey.export({ format: 'jwk' })), { mode: 0o600, flag: 'wx' });
    return key;
  }
  return generate();
}

function generate(): SigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return fromJwk(privateKey.export({ format: 'jwk' }));
}

function fromJwk(jwk: Record<string, unknown>): SigningKey {
  const privateKey = createPrivateKey({ key: jwk as never, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);
  const { crv, kty, x } = publicKey.export({ format: 'jwk' });
  const kid = createHash('sha256').update(JSON.stringify({ crv, kty, x })).digest('base64url');
  return { kid, privateKey, publicKey };
}
