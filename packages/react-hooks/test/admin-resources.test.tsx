// The hooks over the organization's admin resources (webhooks, files, audit trail, ledger proofs, the
// enclave) against a real server with an enclave: files and webhook secrets are sealed by it.
import { createHash } from 'node:crypto';
import type { WebhookDelivery, WebhookDeliveryList } from '@cms/sdk';
import { verifyAttestation } from '@cms/sdk/enclave';
import type { InfiniteData } from '@tanstack/react-query';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  cmsKeys,
  useAuditEvents,
  useCreateWebhook,
  useDeleteWebhook,
  useEnclave,
  useEnclaveAttestation,
  useLedgerEventProof,
  useRetryWebhookDelivery,
  useRotateWebhookSecret,
  useTestWebhook,
  useUpdateWebhook,
  useUploadFile,
  useVerifyAuditChain,
  useWebhook,
  useWebhookDeliveries,
  useWebhookDelivery,
  useWebhooks,
} from '../src/index.js';
import { cmsWrapper } from './support/cms-wrapper.js';
import { loggedInClient } from './support/logged-in-client.js';
import { type CmsTestServer, startCmsServer } from './support/start-cms-server.js';

let server: CmsTestServer;
beforeAll(async () => {
  server = await startCmsServer({ enclave: true, webhookAllowHosts: ['127.0.0.1'] });
});
afterAll(() => server?.close());
afterEach(cleanup);

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('webhook hooks', () => {
  it('create, update, rotate and delete an endpoint; the list and the detail follow', async () => {
    const { client } = await loggedInClient(server.url);
    const { wrapper, queryClient } = cmsWrapper(client);
    const { result } = renderHook(
      () => ({
        list: useWebhooks(),
        create: useCreateWebhook(),
        update: useUpdateWebhook(),
        rotate: useRotateWebhookSecret(),
        remove: useDeleteWebhook(),
      }),
      { wrapper },
    );
    await waitFor(() => expect(result.current.list.data).toEqual([]));

    const url = `${server.url}/hooks/a`;
    const created = await act(() =>
      result.current.create.mutateAsync({ url, eventTypes: ['contract.created'], description: 'A' }),
    );
    expect(created.secret).toMatch(/^whsec_/);
    await waitFor(() => expect(result.current.list.data?.map((w) => [w.id, w.url])).toEqual([[created.id, url]]));
    // The detail is seeded from the answer, without the one-time secret.
    const seeded = queryClient.getQueryData(cmsKeys.webhooks.detail(created.id));
    expect(seeded).toMatchObject({ id: created.id, url, description: 'A' });
    expect(seeded).not.toHaveProperty('secret');

    const detail = renderHook(() => useWebhook(created.id), { wrapper });
    await act(() =>
      result.current.update.mutateAsync({ webhookId: created.id, changes: { description: 'B', enabled: false } }),
    );
    await waitFor(() => expect(detail.result.current.data).toMatchObject({ description: 'B', enabled: false }));
    await waitFor(() => expect(result.current.list.data?.[0]).toMatchObject({ description: 'B', enabled: false }));

    const rotated = await act(() => result.current.rotate.mutateAsync({ webhookId: created.id, graceSeconds: 60 }));
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);

    await act(() => result.current.remove.mutateAsync(created.id));
    await waitFor(() => expect(result.current.list.data).toEqual([]));
    expect(queryClient.getQueryData(cmsKeys.webhooks.detail(created.id))).toBeUndefined();
    await expect(client.webhooks.get(created.id)).rejects.toMatchObject({ status: 404 });
  });

  it('a ping shows in the delivery log; retrying a failed delivery sends it again from the start', async () => {
    const { client } = await loggedInClient(server.url);
    // The server itself answers 404 at this path: every attempt fails.
    const endpoint = await client.webhooks.create({ url: `${server.url}/hooks/missing` });
    const { wrapper, queryClient } = cmsWrapper(client);
    const { result } = renderHook(
      () => ({
        log: useWebhookDeliveries(endpoint.id, { limit: 10 }),
        ping: useTestWebhook(),
        retry: useRetryWebhookDelivery(),
      }),
      { wrapper },
    );
    await waitFor(() => expect(result.current.log.data?.pages[0]?.data).toEqual([]));

    const ping = await act(() => result.current.ping.mutateAsync(endpoint.id));
    expect(ping).toMatchObject({ endpointId: endpoint.id, eventType: 'webhook.ping' });
    await waitFor(() => expect(result.current.log.data?.pages[0]?.data.map((d) => d.id)).toEqual([ping.id]));

    // Wait for the worker's first (failed, 404) attempt, so the retry does not race a send in flight.
    await waitFor(
      async () => {
        await queryClient.invalidateQueries({ queryKey: cmsKeys.webhooks.deliveries(endpoint.id) });
        const [delivery] = result.current.log.data!.pages[0]!.data;
        expect(delivery).toMatchObject({ attempts: 1, status: 'pending', lastStatusCode: 404 });
      },
      { timeout: 20_000, interval: 200 },
    );
    const detail = renderHook(() => useWebhookDelivery(endpoint.id, ping.id), { wrapper });
    await waitFor(() => expect(detail.result.current.data?.attempts).toBe(1));

    const fetchedAt = queryClient.getQueryState<InfiniteData<WebhookDeliveryList>>(
      cmsKeys.webhooks.deliveryList(endpoint.id, { limit: 10 }),
    )!.dataUpdatedAt;
    const detailFetchedAt = queryClient.getQueryState(cmsKeys.webhooks.delivery(endpoint.id, ping.id))!.dataUpdatedAt;
    const retried = await act(() => result.current.retry.mutateAsync({ webhookId: endpoint.id, deliveryId: ping.id }));
    expect(retried).toMatchObject({ id: ping.id, messageId: ping.messageId, status: 'pending', attempts: 0 });
    // Both the log and the delivery's detail were refetched by the mutation.
    const listState = queryClient.getQueryState<InfiniteData<WebhookDeliveryList>>(
      cmsKeys.webhooks.deliveryList(endpoint.id, { limit: 10 }),
    )!;
    expect(listState.dataUpdatedAt).toBeGreaterThan(fetchedAt);
    const detailState = queryClient.getQueryState<WebhookDelivery>(cmsKeys.webhooks.delivery(endpoint.id, ping.id))!;
    expect(detailState.dataUpdatedAt).toBeGreaterThan(detailFetchedAt);
  });
});

describe('useUploadFile', () => {
  it('uploads bytes and a Blob; the stored SHA-256 is the one of the bytes, which download back', async () => {
    const { client } = await loggedInClient(server.url);
    const { wrapper } = cmsWrapper(client);
    const { result } = renderHook(() => useUploadFile(), { wrapper });
    const bytes = new TextEncoder().encode('# Annex A\n\nThe rent is 1,000 per month.\n');
    const progress: { loaded: number; total: number | undefined }[] = [];

    const stored = await act(() =>
      result.current.mutateAsync({ data: bytes, mediaType: 'text/plain', onProgress: (p) => progress.push(p) }),
    );
    expect(stored).toMatchObject({ sha256: sha256(bytes), size: bytes.byteLength, mediaType: 'text/plain' });
    expect(progress).toEqual([
      { loaded: 0, total: bytes.byteLength },
      { loaded: bytes.byteLength, total: bytes.byteLength },
    ]);
    await waitFor(() => expect(result.current.data).toEqual(stored));

    const other = new TextEncoder().encode('another annex');
    const fromBlob = await act(() => result.current.mutateAsync({ data: new Blob([other], { type: 'text/plain' }) }));
    expect(fromBlob.sha256).toBe(sha256(other));
    expect(await client.files.download(stored.sha256)).toEqual(bytes);
  });
});

describe('audit and ledger hooks', () => {
  it('lists the events of a contract, verifies the chain, and gives an event its ledger proof', async () => {
    const { client, key } = await loggedInClient(server.url);
    const contract = await client.contracts.create({ title: 'Audited', parties: [{ did: key.did, role: 'signer' }] });
    await client.contracts.send(contract.id);
    const { wrapper } = cmsWrapper(client);
    const { result } = renderHook(
      () => ({
        events: useAuditEvents({ contractId: contract.id }),
        all: useAuditEvents({ limit: 1 }),
        verify: useVerifyAuditChain(),
      }),
      { wrapper },
    );
    await waitFor(() => expect(result.current.events.isSuccess).toBe(true));
    const events = result.current.events.data!.pages.flatMap((page) => page.data);
    expect(events.map((e) => e.action)).toEqual(['contract.created', 'contract.send']);
    expect(events.every((e) => e.resource.id === contract.id && e.actorDid === key.did)).toBe(true);
    expect(events[1]!.prevHash).toBe(events[0]!.hash); // consecutive in the chain

    // Paged: one event per page, the next page continues the chain.
    await waitFor(() => expect(result.current.all.hasNextPage).toBe(true));
    const paged = await act(() => result.current.all.fetchNextPage());
    expect(paged.data!.pages).toHaveLength(2);
    const [first, second] = paged.data!.pages.map((page) => page.data[0]!);
    expect(second!.seq).toBe(first!.seq + 1);
    expect(second!.prevHash).toBe(first!.hash);

    const verification = await act(() => result.current.verify.mutateAsync());
    expect(verification).toMatchObject({ verified: true, break: null });
    expect(verification.checkedEvents).toBeGreaterThanOrEqual(events.length);
    expect(verification.lastSeq).toBeGreaterThanOrEqual(events[1]!.seq);
    const ranged = await act(() => result.current.verify.mutateAsync({ from: events[0]!.occurredAt }));
    expect(ranged.verified).toBe(true);

    const proof = renderHook(() => useLedgerEventProof(events[0]!.id), { wrapper });
    await waitFor(() => expect(proof.result.current.isSuccess).toBe(true));
    expect(proof.result.current.data).toMatchObject({ auditEventId: events[0]!.id, eventHash: events[0]!.hash });
  });
});

describe('enclave hooks', () => {
  it('useEnclave describes the enclave; useEnclaveAttestation answers a document that verifies with our nonce', async () => {
    const { client } = await loggedInClient(server.url);
    const { wrapper } = cmsWrapper(client);
    const nonce = 'ab'.repeat(32);
    const { result } = renderHook(
      () => ({ info: useEnclave(), attestation: useEnclaveAttestation(nonce), own: useEnclaveAttestation() }),
      { wrapper },
    );
    await waitFor(() => expect(result.current.info.isSuccess && result.current.attestation.isSuccess).toBe(true));
    const info = result.current.info.data!;
    expect(info).toMatchObject({ mode: 'software', hardwareBacked: false });
    expect(info.rootCertificate).toContain('BEGIN CERTIFICATE');

    const { document, nonce: asked } = result.current.attestation.data!;
    expect(asked).toBe(nonce);
    const verified = await verifyAttestation(
      Uint8Array.from(atob(document), (c) => c.charCodeAt(0)),
      {
        roots: [info.rootCertificate],
        nonce,
      },
    );
    expect(Buffer.from(verified.publicKey!).toString('base64url')).toBe(info.sealingKey.publicKey);
    expect(verified.pcrs[0]).toBe(info.pcrs['0']);

    // Without a nonce the hook picks 32 random bytes, answered with the document.
    await waitFor(() => expect(result.current.own.isSuccess).toBe(true));
    expect(result.current.own.data!.nonce).toMatch(/^[0-9a-f]{64}$/);
    expect(result.current.own.data!.nonce).not.toBe(nonce);
  });
});
