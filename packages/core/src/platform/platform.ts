// What differs between Node and browsers, implemented once per platform and chosen by the package's
// `#platform` import condition (node → ./node.ts, browser/default → ./browser.ts).
import type { TokenStorage } from '../auth/token-storage.js';

export interface Platform {
  /** Headers identifying the SDK, sent with every request where the platform allows it. */
  clientHeaders(): Record<string, string>;
  /** Tokens in a JSON file readable by its owner only (Node). */
  fileTokenStorage(path: string): TokenStorage;
  /** The bytes of a local file, for `files.upload(path)` (Node). */
  readFileBytes(path: string): Promise<Uint8Array>;
}
