// Checks a Sign-In with Ethereum (EIP-4361) message and its signature, the login proof of a did:pkh.
// The message must be bound to this server (domain and URI), to the challenge (nonce), to the DID's
// chain and account, and be short-lived; the signature is checked with viem (EOA, no RPC needed).
import { verifyMessage } from 'viem';
import { parseSiweMessage } from 'viem/siwe';
import { AppError } from '../errors/app-error.js';
import { CHALLENGE_TTL_SECONDS } from './challenges.js';
import { didPkh } from './did-pkh.js';

const CLOCK_SKEW_SECONDS = 60;

export async function verifySiweProof(
  message: string,
  signature: string,
  options: { audience: string; consume: (did: string, nonce: string) => Promise<void>; now?: number },
): Promise<{ did: string; nonce: string }> {
  const { audience, consume, now = Date.now() } = options;
  const reject = (why: string) => new AppError('invalid_proof', why);
  const siwe = parseSiweMessage(message);
  if (!siwe.address || !siwe.chainId || !siwe.nonce || !siwe.domain || !siwe.uri || siwe.version !== '1') {
    throw reject('The proof is not a Sign-In with Ethereum (EIP-4361) message.');
  }
  const server = new URL(audience);
  if (siwe.domain !== server.host) throw reject('The message is for another domain.');
  if (siwe.uri !== audience) throw reject('The proof is for another audience.');
  if (siwe.scheme !== undefined && `${siwe.scheme}:` !== server.protocol)
    throw reject('The message is for another scheme.');
  const seconds = Math.floor(now / 1000);
  const time = (d: Date | undefined) => (d ? Math.floor(d.getTime() / 1000) : undefined);
  const issuedAt = time(siwe.issuedAt);
  const expires = time(siwe.expirationTime);
  const notBefore = time(siwe.notBefore);
  if (issuedAt === undefined || Number.isNaN(issuedAt)) throw reject('The message has no Issued At.');
  if (issuedAt > seconds + CLOCK_SKEW_SECONDS) throw reject('The proof is dated in the future.');
  if (expires === undefined || Number.isNaN(expires)) throw reject('The message has no Expiration Time.');
  if (expires + CLOCK_SKEW_SECONDS < seconds) throw reject('The proof has expired.');
  if (expires > seconds + CHALLENGE_TTL_SECONDS + CLOCK_SKEW_SECONDS) throw reject('The proof lives too long.');
  if (notBefore !== undefined && notBefore > seconds + CLOCK_SKEW_SECONDS) throw reject('The proof is not valid yet.');
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature)) throw reject('The signature must be a 65-byte hex string.');
  const did = didPkh(siwe.chainId, siwe.address);
  await consume(did, siwe.nonce);
  let valid = false;
  try {
    valid = await verifyMessage({ address: siwe.address, message, signature: signature as `0x${string}` });
  } catch {
    valid = false;
  }
  if (!valid) throw reject('The signature does not verify with the account.');
  return { did, nonce: siwe.nonce };
}
