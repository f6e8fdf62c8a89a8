/** The SDK's version, sent in `X-Cms-Client`; kept equal to package.json's by version.test.ts. */
export const SDK_VERSION = '0.1.0';
