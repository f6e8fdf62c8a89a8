import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureEnclave, measureSourceTree } from './measure-enclave.js';

const config = { maxConcurrency: 16, maxRequestBytes: 1 << 20, timeoutMs: 5000 };

describe('software PCRs', () => {
  it('measure the enclave’s own code (PCR0), runtime (PCR1) and configuration (PCR2); the rest are zero', () => {
    const pcrs = measureEnclave(config);
    expect([...pcrs.keys()]).toEqual([...Array(16).keys()]);
    for (const v of pcrs.values()) expect(v).toHaveLength(48);
    expect(Buffer.from(pcrs.get(1)!).toString('hex')).toBe(
      createHash('sha384').update(`node ${process.version} ${process.platform}/${process.arch}`).digest('hex'),
    );
    expect(Buffer.from(pcrs.get(0)!).every((b) => b === 0)).toBe(false);
    for (let i = 3; i < 16; i++) expect(Buffer.from(pcrs.get(i)!).every((b) => b === 0)).toBe(true);
    // Same code and config, same PCRs; another limit, another PCR2 but the same PCR0.
    expect(measureEnclave(config)).toEqual(pcrs);
    const other = measureEnclave({ ...config, maxConcurrency: 17 });
    expect(other.get(0)).toEqual(pcrs.get(0));
    expect(other.get(2)).not.toEqual(pcrs.get(2));
  });

  it('PCR0 covers every source file of the enclave: editing, adding or renaming one changes it; tests do not count', () => {
    const root = mkdtempSync(join(tmpdir(), 'measure-'));
    try {
      cpSync(join(import.meta.dirname, '../..'), root, { recursive: true });
      const fromSources = Buffer.from(measureEnclave(config).get(0)!);
      const base = Buffer.from(measureSourceTree(root));
      expect(base).toEqual(fromSources);
      writeFileSync(join(root, 'process/attestation/extra.test.ts'), 'test file');
      expect(Buffer.from(measureSourceTree(root))).toEqual(base);
      appendFileSync(join(root, 'process/data-keys.ts'), '\n');
      const edited = Buffer.from(measureSourceTree(root));
      expect(edited).not.toEqual(base);
      renameSync(join(root, 'protocol/frames.ts'), join(root, 'protocol/frames2.ts'));
      expect(Buffer.from(measureSourceTree(root))).not.toEqual(edited);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
