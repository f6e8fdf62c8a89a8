// CI runs `pnpm generate --check`; this shows that it catches a spec edited without regenerating.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = join(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'cms-generate-'));
for (const dir of ['openapi', 'contracts', 'packages/core/src/generated', 'packages/server/src/generated']) {
  cpSync(join(repo, dir), join(scratch, dir), { recursive: true });
}
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const check = () =>
  run(process.execPath, ['--import', 'tsx', join(repo, 'scripts/generate.ts'), '--check'], {
    env: { ...process.env, CMS_GENERATE_ROOT: scratch },
  })
    .then(({ stdout }) => ({ code: 0, out: stdout }))
    .catch((e: { code: number; stderr: string }) => ({ code: e.code, out: e.stderr }));

describe('pnpm generate --check', () => {
  it('passes on the committed tree', async () => {
    expect(await check()).toMatchObject({ code: 0 });
  });

  it('fails, naming the stale files, when the spec changes without regenerating', async () => {
    const spec = join(scratch, 'openapi/cms.yaml');
    writeFileSync(
      spec,
      readFileSync(spec, 'utf8').replace(
        'maxLength: 200\n        description:\n          type: string\n          maxLength: 10000',
        'maxLength: 300\n        description:\n          type: string\n          maxLength: 10000',
      ),
    );
    const result = await check();
    expect(result.code).toBe(1);
    expect(result.out).toContain('Generated files are out of date');
    expect(result.out).toContain('packages/server/src/generated/schemas.ts');
    expect(result.out).toContain('packages/core/src/generated/schema.ts');
  });

  it('fails when a Solidity source changes without regenerating', async () => {
    const sol = join(scratch, 'contracts/ContractLedger.sol');
    writeFileSync(sol, readFileSync(sol, 'utf8').replace('"1.0.0"', '"1.0.1"'));
    const result = await check();
    expect(result.code).toBe(1);
    expect(result.out).toContain('packages/core/src/generated/contract-ledger.ts');
    expect(result.out).toContain('packages/server/src/generated/contract-ledger-bytecode.ts');
  });

  it('fails on a generated file the generator no longer writes', async () => {
    writeFileSync(join(scratch, 'packages/server/src/generated/errors.ts'), '// left over\n');
    const result = await check();
    expect(result.code).toBe(1);
    expect(result.out).toContain('packages/server/src/generated/errors.ts (no longer generated: delete it)');
  });
});
