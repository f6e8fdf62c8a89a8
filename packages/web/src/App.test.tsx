import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import type { FetchLike } from './fetch-status';
import type { ServerStatus } from './server-status';

const LEDGER = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

const embedded: ServerStatus = {
  status: 'ok',
  version: '0.1.0',
  database: { engine: 'pglite' },
  chain: { mode: 'embedded', chainId: 31337, ledgerAddress: LEDGER },
};

function json(body: unknown, status = 200, contentType = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': contentType } });
}

/** The value shown next to a label in a facts list. */
function fact(label: string): string | null {
  return screen.getByText(label).nextElementSibling?.textContent ?? null;
}

afterEach(cleanup);

describe('App', () => {
  it('shows loading, then the status, version, database and chain', async () => {
    const fetchFn = vi.fn<FetchLike>(async () => json(embedded));
    render(<App fetch={fetchFn} />);

    expect(screen.getByRole('status').textContent).toBe('Loading server status…');
    const panel = await screen.findByRole('region', { name: 'Server status' });

    expect(within(panel).getByText('ok').className).toBe('badge badge-ok');
    expect(fact('Version')).toBe('0.1.0');
    expect(fact('Database')).toBe('pglite');
    expect(fact('Chain mode')).toBe('embedded');
    expect(fact('Chain ID')).toBe('31337');
    expect(fact('Ledger address')).toBe(LEDGER);
    expect(fetchFn).toHaveBeenCalledWith('/v1/status', expect.objectContaining({ headers: { accept: 'application/json' } }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('CMS — Contract Management System');
    expect(screen.getByText('API docs').getAttribute('href')).toBe('/docs');
    expect(screen.getByText('OpenAPI document').getAttribute('href')).toBe('/openapi.json');
  });

  it('says "not configured" when the chain has no id or ledger', async () => {
    const status: ServerStatus = {
      status: 'degraded',
      version: '0.2.0',
      database: { engine: 'postgres' },
      chain: { mode: 'disabled', chainId: null, ledgerAddress: null },
    };
    render(<App fetch={async () => json(status)} />);

    await screen.findByRole('region', { name: 'Server status' });
    expect(screen.getByText('degraded').className).toBe('badge badge-degraded');
    expect(fact('Database')).toBe('postgres');
    expect(fact('Chain mode')).toBe('disabled');
    expect(fact('Chain ID')).toBe('not configured');
    expect(fact('Ledger address')).toBe('not configured');
  });

  it('shows the title, code and request id of a problem response', async () => {
    const problem = {
      type: 'urn:cms:problem:service_unavailable',
      title: 'The service is temporarily unavailable.',
      status: 503,
      code: 'service_unavailable',
      requestId: 'req_123',
    };
    render(<App fetch={async () => json(problem, 503, 'application/problem+json')} />);

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('The service is temporarily unavailable.')).toBeTruthy();
    expect(fact('Code')).toBe('service_unavailable');
    expect(fact('HTTP status')).toBe('503');
    expect(fact('Request ID')).toBe('req_123');
    expect(screen.queryByRole('region', { name: 'Server status' })).toBeNull();
  });

  it('names the HTTP status when an error response is not a problem', async () => {
    render(<App fetch={async () => new Response('Bad Gateway', { status: 502 })} />);

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('The server answered HTTP 502.')).toBeTruthy();
    expect(within(alert).queryByText('Code')).toBeNull();
  });

  it('says the server cannot be reached when fetch rejects', async () => {
    render(<App fetch={() => Promise.reject(new TypeError('Failed to fetch'))} />);

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Cannot reach the CMS server. Check that it is running.');
  });

  it('polls and shows the newest status', async () => {
    const fetchFn = vi
      .fn<FetchLike>()
      .mockResolvedValueOnce(json({ ...embedded, status: 'degraded' }))
      .mockImplementation(async () => json(embedded));
    render(<App fetch={fetchFn} pollIntervalMs={20} />);

    expect(await screen.findByText('degraded')).toBeTruthy();
    expect(await screen.findByText('ok')).toBeTruthy();
    expect(fetchFn.mock.calls.length).toBeGreaterThanOrEqual(2);
  });
});
