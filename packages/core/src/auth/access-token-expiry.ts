import { base64urlToBytes, bytesToUtf8 } from '../bytes.js';

/**
 * When an access token expires (ms since the epoch), read from its JWT `exp` claim without verifying
 * it (the server does); `undefined` when the token is not a readable JWT.
 */
export function accessTokenExpiry(accessToken: string): number | undefined {
  try {
    const payload = accessToken.split('.')[1];
    if (payload === undefined) return undefined;
    const { exp } = JSON.parse(bytesToUtf8(base64urlToBytes(payload))) as { exp?: unknown };
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
