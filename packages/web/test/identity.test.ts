// The browser identity's key handling, on Node's WebCrypto (the same API as the browser's): a created or
// imported key is non-extractable and signs as its did:key; the backup opens only with its passphrase.
import { publicKeyFromDidKey } from '@cms/sdk';
import * as ed from '@noble/ed25519';
import { describe, expect, it } from 'vitest';
import { BackupError, openSeed, parseBackup, sealSeed } from '../src/identity/backup';
import { createIdentity, identitySigner, importIdentity } from '../src/identity/browser-key';

const message = new TextEncoder().encode('sign me');

describe('browser identity', () => {
  it('creates a non-extractable Ed25519 key whose signatures verify against its did:key', async () => {
    const identity = await createIdentity('a long passphrase');
    expect(identity.kind).toBe('webcrypto');
    if (identity.kind !== 'webcrypto') return;
    expect(identity.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('pkcs8', identity.privateKey)).rejects.toThrow();
    const signer = await identitySigner(identity);
    expect(signer.did).toBe(identity.did);
    expect(await ed.verifyAsync(await signer.sign(message), message, publicKeyFromDidKey(identity.did))).toBe(true);
  });

  it('exports a backup that imports elsewhere as the same DID, and only with its passphrase', async () => {
    const identity = await createIdentity('a long passphrase');
    const file = JSON.stringify(identity.backup);
    expect(file).not.toMatch(/privateKey|seed/);
    const imported = await importIdentity(parseBackup(file), 'a long passphrase');
    expect(imported.did).toBe(identity.did);
    const signer = await identitySigner(imported);
    expect(await ed.verifyAsync(await signer.sign(message), message, publicKeyFromDidKey(identity.did))).toBe(true);
    await expect(importIdentity(parseBackup(file), 'wrong passphrase')).rejects.toThrow(
      new BackupError('Wrong passphrase, or the backup file was changed.'),
    );
  });

  it('refuses a backup whose DID was changed (the DID is bound to the ciphertext)', async () => {
    const seed = crypto.getRandomValues(new Uint8Array(32));
    const backup = await sealSeed(seed, 'did:key:z6MkA', 'pass phrase 1');
    expect(await openSeed(backup, 'pass phrase 1')).toEqual(seed);
    await expect(openSeed({ ...backup, did: 'did:key:z6MkB' }, 'pass phrase 1')).rejects.toBeInstanceOf(BackupError);
  });

  it('names what is wrong with a file that is not a backup', () => {
    expect(() => parseBackup('not json')).toThrow(new BackupError('This file is not a CMS key backup (not JSON).'));
    expect(() => parseBackup('{"type":"other"}')).toThrow(new BackupError('This file is not a CMS key backup.'));
  });
});
