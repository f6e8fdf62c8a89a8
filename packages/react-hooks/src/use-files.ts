// Files: uploading a document (hashed here, stored by its SHA-256) to attach to contracts.
import type { FileData, StoredFile, TransferProgress } from '@cms/sdk';
import type { UseMutationResult } from '@tanstack/react-query';
import { type CmsMutationOptions, useCmsMutation } from './use-cms-mutation.js';

/** What `useUploadFile().mutate` takes: the bytes (a browser `File` is a `Blob`) and `files.upload`'s options. */
export interface UploadFileVariables {
  data: FileData;
  /** `Content-Type` to send (`application/pdf`, `image/png`…); the server decides by the bytes and refuses a contradicting type. */
  mediaType?: string;
  /** Called once the bytes are hashed (`loaded: 0`) and once the server has stored them (`loaded: total`). */
  onProgress?: (progress: TransferProgress) => void;
}

/**
 * Uploads a document (`files.upload`) and answers its `StoredFile` (`sha256`, `size`, `mediaType`); pass
 * `sha256` in a contract's `documents`. Caches nothing: uploading the same bytes again answers the same file.
 * @example
 * const upload = useUploadFile();
 * const file = await upload.mutateAsync({ data: input.files[0], mediaType: 'application/pdf' });
 */
export function useUploadFile<TOnMutateResult = unknown>(
  options?: CmsMutationOptions<StoredFile, UploadFileVariables, TOnMutateResult>,
): UseMutationResult<StoredFile, Error, UploadFileVariables, TOnMutateResult> {
  return useCmsMutation(
    {
      hook: 'useUploadFile',
      run: (cms, { data, mediaType, onProgress }) => cms.files.upload(data, { mediaType, onProgress }),
    },
    options,
  );
}
