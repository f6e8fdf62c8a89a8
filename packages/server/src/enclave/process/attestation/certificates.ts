// The software attestation PKI, in the shape of AWS Nitro's: a root CA generated at the enclave's first
// start (ECDSA P-384, kept in `<dataDir>/keys/attestation-root.json`, 0600), and a leaf the enclave
// issues itself at every start (P-384, 7 days) whose key signs the documents (ES384).
import { randomBytes, webcrypto } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import {
  AttributeTypeAndValue,
  BasicConstraints,
  Certificate,
  CryptoEngine,
  Extension,
  ExtKeyUsage,
  setEngine,
} from 'pkijs';
import { createPrivateFile, readJsonFile } from '../private-files.js';

const subtle = webcrypto.subtle as unknown as SubtleCrypto;
setEngine('node', new CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }));
const P384 = { name: 'ECDSA', namedCurve: 'P-384' } as const;
export const ROOT_FILE = 'attestation-root.json';
const DAY = 86_400_000;

export interface AttestationKeys {
  rootDer: Uint8Array;
  leafDer: Uint8Array;
  /** Signs `data` with the leaf key: ECDSA P-384 / SHA-384, raw r‖s (as COSE wants it). */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

export async function openAttestationKeys(keysDir: string, now = new Date()): Promise<AttestationKeys> {
  const path = join(keysDir, ROOT_FILE);
  if (!existsSync(path)) {
    const keys = (await subtle.generateKey(P384, true, ['sign', 'verify'])) as CryptoKeyPair;
    const cert = await issue({
      subject: 'cms-enclave software attestation root',
      issuer: 'cms-enclave software attestation root',
      publicKey: keys.publicKey,
      signingKey: keys.privateKey,
      ca: true,
      notBefore: now,
      notAfter: new Date(now.getTime() + 3650 * DAY),
    });
    const pkcs8 = Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
    createPrivateFile(path, JSON.stringify({ privateKey: pkcs8, certificate: Buffer.from(cert).toString('base64') }));
  }
  const stored = readJsonFile<{ privateKey: string; certificate: string }>(path);
  const rootKey = await subtle.importKey('pkcs8', Buffer.from(stored.privateKey, 'base64'), P384, false, ['sign']);
  const leaf = (await subtle.generateKey(P384, false, ['sign', 'verify'])) as CryptoKeyPair;
  const leafDer = await issue({
    subject: `cms-enclave-${randomBytes(8).toString('hex')}.software`,
    issuer: 'cms-enclave software attestation root',
    publicKey: leaf.publicKey,
    signingKey: rootKey,
    ca: false,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + 7 * DAY),
  });
  return {
    rootDer: new Uint8Array(Buffer.from(stored.certificate, 'base64')),
    leafDer,
    sign: async (data) =>
      new Uint8Array(
        await subtle.sign({ name: 'ECDSA', hash: 'SHA-384' }, leaf.privateKey, data as Uint8Array<ArrayBuffer>),
      ),
  };
}

async function issue(o: {
  subject: string;
  issuer: string;
  publicKey: CryptoKey;
  signingKey: CryptoKey;
  ca: boolean;
  notBefore: Date;
  notAfter: Date;
}): Promise<Uint8Array> {
  const cert = new Certificate();
  cert.version = 2;
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  cert.serialNumber = new asn1js.Integer({ valueHex: serial });
  const name = (cn: string) =>
    new AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: cn }) });
  cert.issuer.typesAndValues.push(name(o.issuer));
  cert.subject.typesAndValues.push(name(o.subject));
  cert.notBefore.value = o.notBefore;
  cert.notAfter.value = o.notAfter;
  const basic = new BasicConstraints({ cA: o.ca });
  cert.extensions = [
    new Extension({
      extnID: '2.5.29.19',
      critical: true,
      extnValue: basic.toSchema().toBER(false),
      parsedValue: basic,
    }),
  ];
  // keyUsage: keyCertSign + cRLSign for the root, digitalSignature for the leaf.
  const usage = new asn1js.BitString({
    valueHex: new Uint8Array([o.ca ? 0x06 : 0x80]).buffer,
    unusedBits: o.ca ? 1 : 7,
  });
  cert.extensions.push(new Extension({ extnID: '2.5.29.15', critical: true, extnValue: usage.toBER(false) }));
  if (!o.ca) {
    const eku = new ExtKeyUsage({ keyPurposes: ['1.3.6.1.5.5.7.3.2'] });
    cert.extensions.push(
      new Extension({ extnID: '2.5.29.37', extnValue: eku.toSchema().toBER(false), parsedValue: eku }),
    );
  }
  await cert.subjectPublicKeyInfo.importKey(o.publicKey);
  await cert.sign(o.signingKey, 'SHA-384');
  return new Uint8Array(cert.toSchema(true).toBER(false));
}
