// HTTP handlers of the files domain: upload, download, and a contract's documents for its parties.
import { findVisibleContract } from '../contracts/contract-access.js';
import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';
import { findFile, sendFile } from './send-file.js';
import { missingFile, uploadFile } from './upload-file.js';

type FileHandlers = Pick<OperationHandlers, 'uploadFile' | 'downloadFile' | 'downloadContractDocument'>;

export function fileHandlers(s: Services): FileHandlers {
  const deps = () => ({ db: s.database.db, enclave: s.enclave, storage: s.files });
  return {
    uploadFile: async (c) => {
      const { file, created } = await uploadFile(deps(), c.get('principal'), {
        body: c.req.raw.body,
        contentType: c.req.header('content-type'),
        contentLength: c.req.header('content-length'),
        contentDigest: c.req.valid('header')['content-digest'],
      });
      c.header('ETag', `"${file.sha256}"`);
      return created ? c.json(file, 201) : c.json(file, 200);
    },
    downloadFile: async (c) => {
      const row = await findFile(s.database.db, c.get('principal').organizationId, c.req.valid('param').sha256);
      return sendFile(deps(), row, c.req.valid('header')) as never;
    },
    downloadContractDocument: async (c) => {
      const { contractId, sha256 } = c.req.valid('param');
      const contract = await findVisibleContract(s.database.db, c.get('principal'), contractId);
      // A party in another organization reaches the file only as a document this contract names.
      if (!contract.documents.some((d) => d.sha256 === sha256)) throw missingFile(sha256);
      const row = await findFile(s.database.db, contract.organizationId, sha256);
      return sendFile(deps(), row, c.req.valid('header')) as never;
    },
  };
}
