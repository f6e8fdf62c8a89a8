import { describe, expect, it } from 'vitest';
import { startupBanner } from './startup-banner.js';

describe('startupBanner', () => {
  it('names the UI, the API docs, the chain JSON-RPC URL and the ledger on the default setup', () => {
    const banner = startupBanner({
      version: '0.1.0',
      url: 'http://127.0.0.1:8080',
      webUi: true,
      database: 'pglite',
      dataDir: '.cms',
      chain: {
        mode: 'embedded',
        chainId: 31337,
        ledgerAddress: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
        rpcUrl: 'http://127.0.0.1:40123',
      },
    });
    expect(banner).toBe(
      [
        'CMS server 0.1.0 is ready',
        '  Web UI    http://127.0.0.1:8080/',
        '  API docs  http://127.0.0.1:8080/docs',
        '  OpenAPI   http://127.0.0.1:8080/openapi.json',
        '  Database  embedded PostgreSQL (PGlite) in .cms/db',
        '  Chain     embedded anvil, JSON-RPC http://127.0.0.1:40123 (chain id 31337)',
        '  Ledger    0x5FbDB2315678afecb367f032d93F642f64180aa3 (ContractLedger)',
        'Stop it with Ctrl-C.',
        '',
      ].join('\n'),
    );
  });

  it('says how to build a missing UI, and that a disabled chain anchors nothing', () => {
    const banner = startupBanner({
      version: '0.1.0',
      url: 'http://h:1',
      webUi: false,
      database: 'postgres',
      dataDir: undefined,
      chain: { mode: 'disabled', chainId: null, ledgerAddress: null, rpcUrl: null },
    });
    expect(banner).toContain('Web UI    not built (pnpm --filter @cms/web build)');
    expect(banner).toContain('Chain     disabled: events are not anchored');
    expect(banner).not.toContain('Ledger');
  });
});
