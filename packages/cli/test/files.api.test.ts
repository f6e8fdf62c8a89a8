// `cms files` and `cms contracts document` against a real server with its enclave: upload (hashed by the
// SDK), download to a 0644 file or stdout, a party downloading a contract's document, refusals with
// their exit statuses, and a proxy flipping a byte of every file it passes on: nothing is written, and
// `contracts sign` refuses.
import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { samplePdf, startTestServer, testEnclave } from '@cms/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissions, runCli, tempDir } from './run-cli.js';

let server: { url: string; close(): Promise<void> };
let proxy: Server;
let proxyUrl: string;
beforeAll(async () => {
  server = await startTestServer({ enclave: testEnclave() });
  proxy = tamperingProxy(server.url);
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await server?.close();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Forwards everything to the server; flips the last byte of every file download. */
function tamperingProxy(target: string): Server {
  return createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))
        headers.set(name, value);
    const upstream = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers,
      ...(chunks.length && { body: Buffer.concat(chunks) }),
    });
    const body = new Uint8Array(await upstream.arrayBuffer());
    if (req.method === 'GET' && upstream.ok && body.length && /\/(files|documents)\/[0-9a-f]{64}$/.test(req.url!))
      body[body.length - 1]! ^= 0x01;
    const out: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (!['content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(name)) out[name] = value;
    });
    res.writeHead(upstream.status, { ...out, 'content-length': String(body.length) }).end(body);
  });
}

async function user(serverUrl = server.url) {
  const configDir = await tempDir();
  const env = { CMS_CONFIG_DIR: configDir, CMS_SERVER: serverUrl };
  const { did } = JSON.parse((await runCli(['keys', 'generate', '--json'], env)).stdout) as { did: string };
  expect((await runCli(['login'], env)).code).toBe(0);
  const cms = (args: string[]) => runCli(args, env);
  // biome-ignore lint/suspicious/noExplicitAny: parsed CLI output
  const json = async <T = any>(args: string[]): Promise<T> => {
    const r = await cms([...args, '--json']);
    expect(r, r.stderr).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(r.stdout) as T;
  };
  return { configDir, env, did, cms, json };
}

describe('cms files', () => {
  it('uploads, downloads to a 0644 file or stdout, and refuses what the server refuses', async () => {
    const u = await user();
    const pdf = await samplePdf('Statement of work');
    const path = join(u.configDir, 'sow.pdf');
    await writeFile(path, pdf);

    const human = await u.cms(['files', 'upload', path]);
    expect(human, human.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(human.stdout).toContain('Stored sow.pdf');
    expect(human.stdout).toMatch(new RegExp(`sha256\\s+${sha256(pdf)}`));
    expect(human.stdout).toMatch(/mediaType\s+application\/pdf/);
    const stored = await u.json(['files', 'upload', path, '--media-type', 'application/pdf']);
    expect(stored).toEqual({
      sha256: sha256(pdf),
      size: pdf.length,
      mediaType: 'application/pdf',
      createdAt: expect.any(String),
    });

    const out = join(u.configDir, 'copy.pdf');
    expect(await u.json(['files', 'download', stored.sha256, '--out', out])).toEqual({
      sha256: stored.sha256,
      size: pdf.length,
      out,
    });
    expect((await readFile(out)).equals(pdf)).toBe(true);
    expect(permissions((await stat(out)).mode)).toBe(0o644);
    const again = await u.cms(['files', 'download', stored.sha256, '--out', out]);
    expect(again.stdout).toBe(`Wrote ${pdf.length} bytes to ${out} (SHA-256 ${stored.sha256} checked)\n`);

    const text = Buffer.from('# Annex\n\nRates in EUR.\n');
    const annex = join(u.configDir, 'annex.md');
    await writeFile(annex, text);
    const md = await u.json(['files', 'upload', annex, '--media-type', 'text/markdown']);
    expect(md.mediaType).toBe('text/plain');
    expect(await u.cms(['files', 'download', md.sha256, '--out', '-'])).toEqual({
      code: 0,
      stdout: text.toString(),
      stderr: '',
    });

    const wrongType = await u.cms(['files', 'upload', path, '--media-type', 'image/png', '--json']);
    expect(wrongType.code).toBe(6);
    expect(JSON.parse(wrongType.stderr).error).toMatchObject({ code: 'unsupported_media_type', status: 415 });
    const missing = await u.cms(['files', 'upload', join(u.configDir, 'nope.pdf')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('ENOENT');
    const unknown = await u.cms(['files', 'download', 'ab'.repeat(32), '--out', join(u.configDir, 'x')]);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('file_not_found');
    expect((await u.cms(['files', 'download', 'not-a-hash'])).code).toBe(2);

    const bash = (await runCli(['completion', 'bash'], {})).stdout;
    expect(bash).toMatch(/"files"\) words="upload download /);
    expect(bash).toMatch(/"contracts"\) words="[^"]*\bdocument\b/);
    expect((await u.cms(['files', 'download', '--help'])).stdout).toContain('Examples:');
  });

  it("a party downloads a contract's document; tampered bytes are never written and sign refuses", async () => {
    const owner = await user();
    const party = await user(proxyUrl); // logs in through the proxy: only file bodies are changed
    const pdf = await samplePdf('Master services agreement');
    const path = join(owner.configDir, 'msa.pdf');
    await writeFile(path, pdf);
    const file = await owner.json(['files', 'upload', path]);
    const body = join(owner.configDir, 'contract.json');
    await writeFile(
      body,
      JSON.stringify({
        title: 'MSA',
        parties: [{ did: party.did, role: 'signer' }],
        documents: [{ name: 'msa.pdf', sha256: file.sha256 }],
      }),
    );
    const contract = await owner.json(['contracts', 'create', '--file', body]);
    await owner.json(['contracts', 'send', contract.id]);
    const shown = await owner.cms(['contracts', 'get', contract.id]);
    expect(shown.stdout).toMatch(new RegExp(`documents\\n\\s+NAME\\s+SHA256[^\\n]*\\n\\s+msa\\.pdf\\s+${file.sha256}`));

    // The party, straight to the server (same key and tokens, another profile directory would do too).
    const direct = { ...party.env, CMS_SERVER: server.url };
    expect((await runCli(['login'], direct)).code).toBe(0);
    const out = join(party.configDir, 'msa-copy.pdf');
    const got = await runCli(['contracts', 'document', contract.id, file.sha256, '--out', out, '--json'], direct);
    expect(got, got.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(got.stdout)).toEqual({ sha256: file.sha256, size: pdf.length, out });
    expect((await readFile(out)).equals(pdf)).toBe(true);

    // Through the proxy: refused, exit 1, and no file written.
    const tamperedOut = join(party.configDir, 'tampered.pdf');
    const refused = await party.cms([
      'contracts',
      'document',
      contract.id,
      file.sha256,
      '--out',
      tamperedOut,
      '--json',
    ]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr).error).toMatchObject({ code: 'file_hash_mismatch', status: null });
    await expect(stat(tamperedOut)).rejects.toMatchObject({ code: 'ENOENT' });
    const sign = await party.cms(['contracts', 'sign', contract.id]);
    expect(sign.code).toBe(1);
    expect(sign.stderr).toContain('file_hash_mismatch');
    expect(sign.stderr).toContain('"msa.pdf"');
    // Straight to the server the document checks out and the party signs.
    const signed = await runCli(['contracts', 'sign', contract.id, '--json'], direct);
    expect(signed, signed.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(signed.stdout).status).toBe('executed');
  });
});
