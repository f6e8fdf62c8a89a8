import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: { name: 'example-node-quickstart', environment: 'node', testTimeout: 60_000, hookTimeout: 120_000 },
});
