// The resource hooks beyond contracts (templates, history, account) and the live-event cache patch,
// against a real server; and that an app-defined mutation through useCmsMutation behaves like the built-ins.
import { CmsConflictError, type Contract, type ContractEvent, type ContractList } from '@cms/sdk';
import { type InfiniteData, QueryClient } from '@tanstack/react-query';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  applyContractEvent,
  cmsKeys,
  useCmsMutation,
  useContract,
  useContractAction,
  useContractHistory,
  useMe,
  useSessions,
  useTemplateAction,
  useTemplates,
} from '../src/index.js';
import { cmsWrapper } from './support/cms-wrapper.js';
import { loggedInClient } from './support/logged-in-client.js';
import { type CmsTestServer, startCmsServer } from './support/start-cms-server.js';

let server: CmsTestServer;
beforeAll(async () => {
  server = await startCmsServer();
});
afterAll(() => server?.close());
afterEach(cleanup);

describe('useTemplateAction and useTemplates', () => {
  it('creates and publishes a template; the list shows it with its latest version', async () => {
    const { client } = await loggedInClient(server.url);
    const { wrapper } = cmsWrapper(client);
    const { result } = renderHook(() => ({ list: useTemplates(), act: useTemplateAction() }), { wrapper });
    await waitFor(() => expect(result.current.list.isSuccess).toBe(true));
    expect(result.current.list.data!.pages[0]!.data).toEqual([]);

    const created = await act(() =>
      result.current.act.mutateAsync({
        action: 'create',
        input: {
          name: 'NDA',
          body: '# NDA {{city}}',
          variables: { type: 'object', properties: { city: { type: 'string' } } },
        },
      }),
    );
    const template = created as { id: string; revision: number };
    await waitFor(() =>
      expect(result.current.list.data!.pages[0]!.data.map((t) => [t.name, t.latestVersion])).toEqual([['NDA', null]]),
    );

    const version = await act(() =>
      result.current.act.mutateAsync({ action: 'publish', templateId: template.id, ifMatch: template.revision }),
    );
    expect(version).toMatchObject({ templateId: template.id, version: 1 });
    await waitFor(() =>
      expect(result.current.list.data!.pages[0]!.data.map((t) => [t.name, t.latestVersion])).toEqual([['NDA', 1]]),
    );
  });
});

describe('useContractHistory', () => {
  it('refetches after a contract action: create, then send', async () => {
    const { client, key } = await loggedInClient(server.url);
    const contract = await client.contracts.create({ title: 'H', parties: [{ did: key.did, role: 'signer' }] });
    const { wrapper } = cmsWrapper(client);
    const { result } = renderHook(() => ({ history: useContractHistory(contract.id), act: useContractAction() }), {
      wrapper,
    });
    await waitFor(() => expect(result.current.history.data?.data.map((t) => t.action)).toEqual(['create']));
    await act(() => result.current.act.mutateAsync({ action: 'send', contractId: contract.id }));
    await waitFor(() => expect(result.current.history.data?.data.map((t) => t.action)).toEqual(['create', 'send']));
  });
});

describe('account hooks', () => {
  it('useMe names the logged-in DID; useSessions lists the current session', async () => {
    const { client, key, token } = await loggedInClient(server.url);
    const { wrapper } = cmsWrapper(client);
    const { result } = renderHook(() => ({ me: useMe(), sessions: useSessions() }), { wrapper });
    await waitFor(() => expect(result.current.me.isSuccess && result.current.sessions.isSuccess).toBe(true));
    expect(JSON.stringify(result.current.me.data)).toContain(key.did);
    expect(result.current.sessions.data!.map((s) => s.id)).toContain(token.sessionId);
  });
});

describe('useCmsMutation', () => {
  it('runs an app-defined write with the provider client and refetches what a conflict proves stale', async () => {
    const { client } = await loggedInClient(server.url);
    const contract = await client.contracts.create({ title: 'Before' });
    await client.contracts.update(contract.id, { title: 'Changed elsewhere' }); // revision moves on
    const { wrapper } = cmsWrapper(client);
    const { result } = renderHook(
      () => ({
        detail: useContract(contract.id),
        rename: useCmsMutation({
          hook: 'useRename',
          run: (cms, title: string) => cms.contracts.update(contract.id, { title }, { ifMatch: contract.revision }),
          staleOnConflict: () => [cmsKeys.contracts.detail(contract.id)],
        }),
      }),
      { wrapper },
    );
    await waitFor(() => expect(result.current.detail.data?.title).toBe('Changed elsewhere'));
    const fetchedAt = result.current.detail.dataUpdatedAt;
    act(() => result.current.rename.mutate('Mine'));
    await waitFor(() => expect(result.current.rename.isError).toBe(true));
    expect(result.current.rename.error).toBeInstanceOf(CmsConflictError);
    expect(result.current.rename.error).toMatchObject({ status: 412, code: 'precondition_failed' });
    await waitFor(() => expect(result.current.detail.dataUpdatedAt).toBeGreaterThan(fetchedAt));
  });
});

describe('live events', () => {
  it('applyContractEvent patches the status in cached lists and the detail at once', () => {
    const queryClient = new QueryClient();
    const contract = {
      id: 'c1',
      status: 'pending',
      revision: 2,
      ledger: { status: 'pending', batchId: null, transactionHash: null, blockNumber: null },
    } as unknown as Contract;
    const other = { ...contract, id: 'c2' };
    queryClient.setQueryData<InfiniteData<ContractList>>(cmsKeys.contracts.list({}), {
      pages: [{ data: [contract, other], nextCursor: null }],
      pageParams: [undefined],
    });
    queryClient.setQueryData(cmsKeys.contracts.detail('c1'), contract);
    const event = (type: ContractEvent['type'], data: ContractEvent['data']) =>
      ({ id: '1', type, contractId: 'c1', organizationId: 'o', occurredAt: '', data }) as ContractEvent;

    applyContractEvent(queryClient, event('contract.signed', { status: 'partially_signed', revision: 3 }));
    const list = () => queryClient.getQueryData<InfiniteData<ContractList>>(cmsKeys.contracts.list({}))!.pages[0]!.data;
    expect(list().map((c) => [c.id, c.status, c.revision])).toEqual([
      ['c1', 'partially_signed', 3],
      ['c2', 'pending', 2],
    ]);
    expect(queryClient.getQueryData<Contract>(cmsKeys.contracts.detail('c1'))!.status).toBe('partially_signed');

    // An event older than the cache (a mutation's answer got there first) changes nothing.
    applyContractEvent(queryClient, event('contract.sent', { status: 'pending', revision: 2 }));
    expect(list()[0]!.status).toBe('partially_signed');

    applyContractEvent(
      queryClient,
      event('contract.anchored', { batchId: 'b', transactionHash: '0xab', blockNumber: 7 }),
    );
    expect(queryClient.getQueryData<Contract>(cmsKeys.contracts.detail('c1'))!.ledger).toEqual({
      status: 'confirmed',
      batchId: 'b',
      transactionHash: '0xab',
      blockNumber: 7,
    });
  });
  // useContractEvents itself runs in real Chromium (packages/web/test/web.browser.test.ts): happy-dom's fetch
  // throws an uncaught ERR_INVALID_STATE when a streamed response is cancelled, as closing a subscription does.
});
