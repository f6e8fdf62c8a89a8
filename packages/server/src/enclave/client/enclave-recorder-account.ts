// The chain recorder as a viem account whose key stays in the enclave: viem serializes the transaction,
// the enclave signs its keccak-256 hash, viem attaches the signature (as `privateKeyToAccount` does).
import { keccak256, type SerializeTransactionFn, serializeTransaction, type TransactionSerializable } from 'viem';
import { type LocalAccount, toAccount } from 'viem/accounts';
import type { Enclave } from './enclave-service.js';

export async function enclaveRecorderAccount(enclave: Enclave): Promise<LocalAccount> {
  const { address } = await enclave.call('recorderAddress', {});
  const refuse = async (): Promise<never> => {
    throw new Error('the enclave recorder key signs transactions only');
  };
  return toAccount({
    address,
    async signTransaction(transaction, options) {
      const serializer = (options?.serializer ??
        serializeTransaction) as SerializeTransactionFn<TransactionSerializable>;
      const signable = transaction.type === 'eip4844' ? { ...transaction, sidecars: false } : transaction;
      const signature = await enclave.call('signRecorderHash', { hash: keccak256(await serializer(signable)) });
      return serializer(transaction, signature);
    },
    signMessage: refuse,
    signTypedData: refuse,
  });
}
