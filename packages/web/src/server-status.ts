// Shapes of GET /v1/status (ServerStatus) and of error bodies (Problem), from openapi/cms.yaml.

export interface ServerStatus {
  status: 'ok' | 'degraded';
  version: string;
  database: { engine: 'pglite' | 'postgres' };
  chain: {
    mode: 'embedded' | 'external' | 'disabled';
    chainId: number | null;
    ledgerAddress: string | null;
  };
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  requestId?: string;
}
