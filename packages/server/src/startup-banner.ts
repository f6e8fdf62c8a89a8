// The few lines `cms-server` prints on a terminal once it listens: where the UI, the API docs and the
// chain are. Log lines stay JSON; this is only written when stdout is a TTY.
import type { LedgerInfo } from './ledger/ledger-runtime.js';

export interface BannerInfo {
  version: string;
  /** The public URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** Whether a built web UI is served at `/`. */
  webUi: boolean;
  database: 'pglite' | 'postgres';
  dataDir: string | undefined;
  chain: LedgerInfo;
}

export function startupBanner(b: BannerInfo): string {
  const url = b.url.replace(/\/+$/, '');
  const rows: [string, string][] = [
    ['Web UI', b.webUi ? `${url}/` : 'not built (pnpm --filter @cms/web build)'],
    ['API docs', `${url}/docs`],
    ['OpenAPI', `${url}/openapi.json`],
    [
      'Database',
      b.database === 'pglite'
        ? `embedded PostgreSQL (PGlite) in ${b.dataDir ? `${b.dataDir}/db` : 'memory'}`
        : 'PostgreSQL (DATABASE_URL)',
    ],
    ['Chain', chainLine(b.chain)],
  ];
  if (b.chain.ledgerAddress) rows.push(['Ledger', `${b.chain.ledgerAddress} (ContractLedger)`]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    `CMS server ${b.version} is ready`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    'Stop it with Ctrl-C.',
    '',
  ].join('\n');
}

function chainLine(chain: LedgerInfo): string {
  if (chain.mode === 'disabled') return 'disabled: events are not anchored';
  if (chain.mode === 'embedded') return `embedded anvil, JSON-RPC ${chain.rpcUrl} (chain id ${chain.chainId})`;
  return `external nodes (chain id ${chain.chainId ?? 'from the node'})`;
}
