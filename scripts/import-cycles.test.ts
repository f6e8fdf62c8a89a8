// No import circle in any package's sources: a circle means two modules cannot be understood, tested or
// moved apart, and under ESM it can leave a binding undefined at load time.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeCycle, findCycles, importGraph } from './import-graph.js';

const repo = join(import.meta.dirname, '..');
const packages = readdirSync(join(repo, 'packages')).filter((name) => existsSync(join(repo, 'packages', name, 'src')));

describe('import graph of packages/*/src', () => {
  it.each(packages)('%s has no import cycle', (name) => {
    const graph = importGraph(join(repo, 'packages', name, 'src'));
    expect(graph.size).toBeGreaterThan(0);
    expect(findCycles(graph).map((cycle) => describeCycle(cycle, repo))).toEqual([]);
  });
});

describe('the cycle finder', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'cms-import-cycles-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const write = (files: Record<string, string>) => {
    const root = mkdtempSync(join(scratch, 'pkg-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  };

  it('names a cycle made of type-only imports and `#` imports, file by file', () => {
    const root = write({
      'package.json': JSON.stringify({
        type: 'module',
        imports: { '#store': { source: './src/store/index.ts', default: './dist/store.js' } },
      }),
      'src/a.ts': "import type { B } from './b/b.js';\nexport type A = B;\n",
      'src/b/b.ts': "import { store } from '#store';\nexport type B = typeof store;\n",
      'src/store/index.ts': "export const store = (await import('../a.js')) as unknown;\n",
      'src/leaf.ts': "import type { A } from './a.js';\nexport type Leaf = A;\n",
    });
    const cycles = findCycles(importGraph(join(root, 'src')));
    expect(cycles.map((cycle) => describeCycle(cycle, root))).toEqual([
      'src/a.ts → src/b/b.ts → src/store/index.ts → src/a.ts',
    ]);
  });

  it('finds nothing in a graph that only imports downward, and ignores packages', () => {
    const root = write({
      'package.json': JSON.stringify({ type: 'module' }),
      'src/a.ts': "import { b } from './b.js';\nimport { z } from 'zod';\nexport const a = [b, z];\n",
      'src/b.ts': "export { c as b } from './c.js';\n",
      'src/c.ts': 'export const c = 1;\n',
    });
    const graph = importGraph(join(root, 'src'));
    expect([...graph.values()].flat()).toHaveLength(2);
    expect(findCycles(graph)).toEqual([]);
  });

  it('reports a file that imports itself', () => {
    const root = write({ 'package.json': '{"type":"module"}', 'src/self.ts': "export * from './self.js';\n" });
    expect(findCycles(importGraph(join(root, 'src'))).map((cycle) => describeCycle(cycle, root))).toEqual([
      'src/self.ts → src/self.ts',
    ]);
  });
});
