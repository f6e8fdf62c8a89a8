// useSignContract and useContractAction against a real server: what they do, and exactly which
// cache entries each success or conflict touches.
import {
  type CmsClient,
  CmsConflictError,
  CmsPermissionError,
  type Contract,
  type ContractList,
  didKeySigner,
  generateDidKey,
} from '@cms/sdk';
import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cmsKeys, useContract, useContractAction, useContracts, useSignContract } from '../src/index.js';
import { cmsWrapper } from './support/cms-wrapper.js';
import { loggedInClient } from './support/logged-in-client.js';
import { type CmsTestServer, startCmsServer } from './support/start-cms-server.js';

let server: CmsTestServer;
beforeAll(async () => {
  server = await startCmsServer();
});
afterAll(() => server?.close());
afterEach(cleanup);

const statusesOf = (data: InfiniteData<ContractList> | undefined) =>
  data?.pages.flatMap((page) => page.data.map((c) => `${c.title}:${c.status}`));
const fetchesOf = (queryClient: QueryClient, key: readonly unknown[]) =>
  queryClient.getQueryState(key)?.dataUpdateCount;

/** A user, their signer, and a contract naming them as its only signer, sent for signature. */
async function signerWithPendingContract(title: string) {
  const { client, key } = await loggedInClient(server.url);
  const signer = await didKeySigner(key.privateKey);
  const draft = await client.contracts.create({ title, parties: [{ did: key.did, role: 'signer' }] });
  const pending = await client.contracts.send(draft.id);
  return { client, key, signer, pending };
}

/** Mounts a contract's detail, an unrelated contract's detail and the unfiltered list, all loaded. */
async function mountCache<TMutation>(client: CmsClient, contractId: string, mutation: () => TMutation) {
  const unrelated = await client.contracts.create({ title: 'Unrelated' });
  const { queryClient, wrapper } = cmsWrapper(client);
  const view = renderHook(
    () => ({
      detail: useContract(contractId),
      unrelated: useContract(unrelated.id),
      list: useContracts(),
      mutation: mutation(),
    }),
    { wrapper },
  );
  await waitFor(() =>
    expect(
      view.result.current.detail.isSuccess &&
        view.result.current.unrelated.isSuccess &&
        view.result.current.list.isSuccess,
    ).toBe(true),
  );
  return { ...view, queryClient, unrelated };
}

describe('useSignContract', () => {
  it('signs on this device, puts the signed contract in the detail without refetching it, and refetches the lists', async () => {
    const { client, key, signer, pending } = await signerWithPendingContract('Lease');
    const { result, queryClient, unrelated } = await mountCache(client, pending.id, () => useSignContract());
    expect(result.current.detail.data!.status).toBe('pending');
    expect(statusesOf(result.current.list.data)).toEqual(['Unrelated:draft', 'Lease:pending']);
    const detailFetches = fetchesOf(queryClient, cmsKeys.contracts.detail(pending.id));

    let signed!: Contract;
    await act(async () => {
      signed = await result.current.mutation.mutateAsync({ contractId: pending.id, signer });
    });
    expect(signed).toMatchObject({ id: pending.id, status: 'executed' });
    // The detail is the mutation's answer: one cache write, no second request (the component renders it
    // on TanStack's next notify tick, which on a loaded machine can come after act() returns).
    await waitFor(() => expect(result.current.detail.data).toEqual(signed));
    expect(fetchesOf(queryClient, cmsKeys.contracts.detail(pending.id))).toBe(detailFetches! + 1);
    // mutateAsync resolved after the mounted list refetched; the component sees it on TanStack's next tick.
    expect(statusesOf(queryClient.getQueryData(cmsKeys.contracts.list()))).toEqual([
      'Unrelated:draft',
      'Lease:executed',
    ]);
    await waitFor(() => expect(statusesOf(result.current.list.data)).toEqual(['Unrelated:draft', 'Lease:executed']));
    // Another contract's entry is neither refetched nor marked stale.
    expect(queryClient.getQueryState(cmsKeys.contracts.detail(unrelated.id))).toMatchObject({
      dataUpdateCount: 1,
      isInvalidated: false,
    });

    const evidence = await client.contracts.evidence(pending.id);
    expect(evidence.signatures).toEqual([
      expect.objectContaining({ format: 'jws', payload: expect.objectContaining({ signer: key.did, intent: 'sign' }) }),
    ]);
  });

  it('refuses a signer who is not a party without sending a signature, and leaves the cache alone', async () => {
    const { client, pending } = await signerWithPendingContract('Not yours');
    const stranger = await didKeySigner((await generateDidKey()).privateKey);
    const { result, queryClient } = await mountCache(client, pending.id, () => useSignContract());
    const before = queryClient
      .getQueryCache()
      .getAll()
      .map((q) => [q.queryHash, q.state.dataUpdateCount, q.state.isInvalidated]);

    act(() => result.current.mutation.mutate({ contractId: pending.id, signer: stranger }));
    await waitFor(() => expect(result.current.mutation.isError).toBe(true));
    expect(result.current.mutation.error).toBeInstanceOf(CmsPermissionError);
    expect(result.current.mutation.error).toMatchObject({ code: 'not_a_party' });
    expect(
      queryClient
        .getQueryCache()
        .getAll()
        .map((q) => [q.queryHash, q.state.dataUpdateCount, q.state.isInvalidated]),
    ).toEqual(before);
    expect((await client.contracts.get(pending.id)).status).toBe('pending');
  });

  it('refetches a contract the cache shows out of date when the server answers a conflict', async () => {
    const { client, signer, pending } = await signerWithPendingContract('Signed elsewhere');
    const { result } = await mountCache(client, pending.id, () => useSignContract());
    await client.contracts.sign(pending.id, { signer }); // on another device: this cache still says pending
    expect(result.current.detail.data!.status).toBe('pending');

    act(() => result.current.mutation.mutate({ contractId: pending.id, signer }));
    await waitFor(() => expect(result.current.mutation.isError).toBe(true));
    expect(result.current.mutation.error).toBeInstanceOf(CmsConflictError);
    await waitFor(() => expect(result.current.detail.data!.status).toBe('executed'));
    await waitFor(() => expect(statusesOf(result.current.list.data)).toContain('Signed elsewhere:executed'));
  });
});

describe('useContractAction', () => {
  it('sends a draft: the detail shows it pending and filtered lists move it', async () => {
    const { client, key } = await loggedInClient(server.url);
    const draft = await client.contracts.create({ title: 'To send', parties: [{ did: key.did, role: 'signer' }] });
    const { queryClient, wrapper } = cmsWrapper(client);
    const { result } = renderHook(
      () => ({
        detail: useContract(draft.id),
        drafts: useContracts({ status: 'draft' }),
        pending: useContracts({ status: 'pending' }),
        act: useContractAction(),
      }),
      { wrapper },
    );
    await waitFor(() =>
      expect(
        result.current.drafts.isSuccess && result.current.pending.isSuccess && result.current.detail.isSuccess,
      ).toBe(true),
    );
    expect(statusesOf(result.current.drafts.data)).toEqual(['To send:draft']);
    expect(statusesOf(result.current.pending.data)).toEqual([]);

    let sent!: Contract;
    await act(async () => {
      sent = await result.current.act.mutateAsync({ action: 'send', contractId: draft.id, ifMatch: draft.revision });
    });
    expect(sent).toMatchObject({ status: 'pending', revision: draft.revision + 1 });
    await waitFor(() => expect(result.current.detail.data).toEqual(sent));
    expect(queryClient.getQueryData(cmsKeys.contracts.detail(draft.id))).toEqual(sent);
    expect(statusesOf(queryClient.getQueryData(cmsKeys.contracts.list({ status: 'draft' })))).toEqual([]);
    expect(statusesOf(queryClient.getQueryData(cmsKeys.contracts.list({ status: 'pending' })))).toEqual([
      'To send:pending',
    ]);
    await waitFor(() => expect(statusesOf(result.current.pending.data)).toEqual(['To send:pending']));
    expect(statusesOf(result.current.drafts.data)).toEqual([]);
  });

  it('voids, declines and terminates', async () => {
    const { client, signer, pending } = await signerWithPendingContract('To decline');
    const toVoid = await client.contracts.create({ title: 'To void' });
    const toTerminate = await signerWithPendingContract('To terminate');
    await toTerminate.client.contracts.sign(toTerminate.pending.id, { signer: toTerminate.signer });
    const { wrapper } = cmsWrapper(client);
    const { result } = renderHook(() => useContractAction(), { wrapper });

    const voided = await act(() =>
      result.current.mutateAsync({ action: 'void', contractId: toVoid.id, reason: 'Superseded' }),
    );
    expect(voided).toMatchObject({ id: toVoid.id, status: 'voided' });
    const declined = await act(() =>
      result.current.mutateAsync({ action: 'decline', contractId: pending.id, reason: 'Wrong rent', signer }),
    );
    expect(declined).toMatchObject({ id: pending.id, status: 'declined' });
    await waitFor(() => expect(result.current.data).toEqual(declined));

    const terminator = renderHook(() => useContractAction(), { wrapper: cmsWrapper(toTerminate.client).wrapper });
    const terminated = await act(() =>
      terminator.result.current.mutateAsync({
        action: 'terminate',
        contractId: toTerminate.pending.id,
        reason: 'Ended by agreement',
      }),
    );
    expect(terminated).toMatchObject({ id: toTerminate.pending.id, status: 'terminated' });
    const evidence = await client.contracts.evidence(pending.id);
    expect(evidence.signatures).toEqual([
      expect.objectContaining({ payload: expect.objectContaining({ intent: 'decline', reason: 'Wrong rent' }) }),
    ]);
  });

  it('fails with 412 on a stale ifMatch, changes nothing, and refetches the contract so the page shows the change', async () => {
    const { client } = await loggedInClient(server.url);
    const draft = await client.contracts.create({ title: 'Old title' });
    const { result } = await mountCache(client, draft.id, () => useContractAction());
    await client.contracts.update(draft.id, { title: 'New title' }); // someone else's edit

    act(() =>
      result.current.mutation.mutate({
        action: 'void',
        contractId: draft.id,
        reason: 'Not needed',
        ifMatch: draft.revision,
      }),
    );
    await waitFor(() => expect(result.current.mutation.isError).toBe(true));
    expect(result.current.mutation.error).toBeInstanceOf(CmsConflictError);
    expect(result.current.mutation.error).toMatchObject({ status: 412, code: 'precondition_failed' });
    await waitFor(() => expect(result.current.detail.data).toMatchObject({ title: 'New title', status: 'draft' }));
    expect((await client.contracts.get(draft.id)).status).toBe('draft');
  });
});
