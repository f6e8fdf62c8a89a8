// CmsProvider and useCmsClient: which client and QueryClient the hooks get (no server needed).
import { createCmsClient } from '@cms/sdk';
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CmsProvider,
  useAuth,
  useCmsClient,
  useContract,
  useContractAction,
  useContracts,
  useCreateContract,
  useSignContract,
} from '../src/index.js';

afterEach(cleanup);

const client = createCmsClient({ baseUrl: 'http://127.0.0.1:9' });

describe('useCmsClient', () => {
  it('returns the provider’s client', () => {
    const wrapper = ({ children }: { children: ReactNode }) => <CmsProvider client={client}>{children}</CmsProvider>;
    const { result } = renderHook(() => useCmsClient(), { wrapper });
    expect(result.current).toBe(client);
  });

  it('throws a clear error outside a CmsProvider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {}); // React reports the render error too
    expect(() => renderHook(() => useCmsClient())).toThrowErrorMatchingInlineSnapshot(
      `[Error: useCmsClient must be used inside a <CmsProvider client={…}>.]`,
    );
    expect(() => renderHook(() => useContracts())).toThrow(
      'useContracts must be used inside a <CmsProvider client={…}>.',
    );
    expect(() => renderHook(() => useContract('x'))).toThrow(
      'useContract must be used inside a <CmsProvider client={…}>.',
    );
    expect(() => renderHook(() => useCreateContract())).toThrow(
      'useCreateContract must be used inside a <CmsProvider client={…}>.',
    );
    expect(() => renderHook(() => useSignContract())).toThrow(
      'useSignContract must be used inside a <CmsProvider client={…}>.',
    );
    expect(() => renderHook(() => useContractAction())).toThrow(
      'useContractAction must be used inside a <CmsProvider client={…}>.',
    );
    expect(() => renderHook(() => useAuth())).toThrow('useAuth must be used inside a <CmsProvider client={…}>.');
    vi.restoreAllMocks();
  });
});

describe('CmsProvider', () => {
  it('uses the queryClient it is given', () => {
    const queryClient = new QueryClient();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <CmsProvider client={client} queryClient={queryClient}>
        {children}
      </CmsProvider>
    );
    expect(renderHook(() => useQueryClient(), { wrapper }).result.current).toBe(queryClient);
  });

  it('shares the QueryClient of an enclosing QueryClientProvider', () => {
    const appQueryClient = new QueryClient();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={appQueryClient}>
        <CmsProvider client={client}>{children}</CmsProvider>
      </QueryClientProvider>
    );
    expect(renderHook(() => useQueryClient(), { wrapper }).result.current).toBe(appQueryClient);
  });

  it('creates one QueryClient of its own, kept across renders, when there is none', () => {
    const wrapper = ({ children }: { children: ReactNode }) => <CmsProvider client={client}>{children}</CmsProvider>;
    const { result, rerender } = renderHook(() => useQueryClient(), { wrapper });
    const first = result.current;
    expect(first).toBeInstanceOf(QueryClient);
    rerender();
    expect(result.current).toBe(first);
  });
});
