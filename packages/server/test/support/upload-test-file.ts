// Uploads bytes as a file of the caller's organization over HTTP (what `cms.files.upload` sends).
import { createHash } from 'node:crypto';

export async function uploadTestFile(
  baseUrl: string,
  token: string,
  bytes: Uint8Array,
  contentType = 'application/octet-stream',
): Promise<{ sha256: string; size: number; mediaType: string }> {
  const sha256 = createHash('sha256').update(bytes).digest();
  const res = await fetch(`${baseUrl}/v1/files`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': contentType,
      'content-digest': `sha-256=:${sha256.toString('base64')}:`,
    },
    body: bytes as BodyInit,
  });
  if (res.status !== 201 && res.status !== 200) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  return res.json();
}
