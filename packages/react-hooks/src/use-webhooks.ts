// Webhooks: the organization's endpoints, each one's delivery log, and the writes (create, update, delete,
// rotate the secret, ping, retry a delivery, replay a time range).
import type {
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookDeliveryList,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointUpdate,
  WebhookEndpointWithSecret,
  WebhookReplayResult,
  WebhookSecret,
} from '@cms/sdk';
import {
  type InfiniteData,
  type QueryClient,
  type UseInfiniteQueryResult,
  type UseMutationResult,
  type UseQueryResult,
  useInfiniteQuery,
} from '@tanstack/react-query';
import { useCmsContext } from './cms-provider.js';
import { cmsKeys, type WebhookDeliveryListFilters } from './query-keys.js';
import { retryCmsQuery } from './retry-cms-query.js';
import { type CmsMutationOptions, useCmsMutation } from './use-cms-mutation.js';
import { type CmsQueryOptions, useCmsQuery } from './use-cms-query.js';

/** The organization's webhook endpoints (without secrets; admins). */
export function useWebhooks(options?: CmsQueryOptions<WebhookEndpoint[]>): UseQueryResult<WebhookEndpoint[], Error> {
  return useCmsQuery('useWebhooks', cmsKeys.webhooks.list(), (cms, signal) => cms.webhooks.list({ signal }), options);
}

/** One webhook endpoint: URL, event types, `enabled` and why not, consecutive failures. */
export function useWebhook(
  webhookId: string,
  options?: CmsQueryOptions<WebhookEndpoint>,
): UseQueryResult<WebhookEndpoint, Error> {
  return useCmsQuery(
    'useWebhook',
    cmsKeys.webhooks.detail(webhookId),
    (cms, signal) => cms.webhooks.get(webhookId, { signal }),
    options,
  );
}

/** An endpoint's delivery log matching `filters` (`status`, `limit`), newest first, paginated like `useContracts`. */
export function useWebhookDeliveries(
  webhookId: string,
  filters: WebhookDeliveryListFilters = {},
  options?: { enabled?: boolean },
): UseInfiniteQueryResult<InfiniteData<WebhookDeliveryList, string | undefined>, Error> {
  const { client } = useCmsContext('useWebhookDeliveries');
  return useInfiniteQuery({
    retry: retryCmsQuery,
    ...options,
    queryKey: cmsKeys.webhooks.deliveryList(webhookId, filters),
    queryFn: ({ pageParam, signal }) =>
      client.webhooks.deliveries(webhookId, { ...filters, cursor: pageParam }, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
  });
}

/** One delivery with its body and every attempt (status, latency, first bytes of the answer). */
export function useWebhookDelivery(
  webhookId: string,
  deliveryId: string,
  options?: CmsQueryOptions<WebhookDeliveryDetail>,
): UseQueryResult<WebhookDeliveryDetail, Error> {
  return useCmsQuery(
    'useWebhookDelivery',
    cmsKeys.webhooks.delivery(webhookId, deliveryId),
    (cms, signal) => cms.webhooks.delivery(webhookId, deliveryId, { signal }),
    options,
  );
}

const refetchDeliveries = (queryClient: QueryClient, webhookId: string) =>
  queryClient.invalidateQueries({ queryKey: cmsKeys.webhooks.deliveries(webhookId) });

/** A created or changed endpoint: its detail replaced, the list refetched. */
async function storeEndpoint(queryClient: QueryClient, endpoint: WebhookEndpoint): Promise<void> {
  queryClient.setQueryData<WebhookEndpoint>(cmsKeys.webhooks.detail(endpoint.id), endpoint);
  await queryClient.invalidateQueries({ queryKey: cmsKeys.webhooks.list() });
}

/**
 * Registers an endpoint (`mutate({ url, eventTypes? })`); answers it with its signing secret, shown only
 * this once. Caches the endpoint without the secret and refetches the list.
 */
export function useCreateWebhook<TOnMutateResult = unknown>(
  options?: CmsMutationOptions<WebhookEndpointWithSecret, WebhookEndpointCreate, TOnMutateResult>,
): UseMutationResult<WebhookEndpointWithSecret, Error, WebhookEndpointCreate, TOnMutateResult> {
  return useCmsMutation(
    {
      hook: 'useCreateWebhook',
      run: (cms, input) => cms.webhooks.create(input),
      onSuccessCache: (queryClient, { secret: _secret, ...endpoint }) => storeEndpoint(queryClient, endpoint),
    },
    options,
  );
}

/** What `useUpdateWebhook().mutate` takes. */
export interface UpdateWebhookVariables {
  webhookId: string;
  changes: WebhookEndpointUpdate;
}

/** Changes an endpoint's URL, description, event types or `enabled`; replaces its detail and refetches the list. */
export function useUpdateWebhook<TOnMutateResult = unknown>(
  options?: CmsMutationOptions<WebhookEndpoint, UpdateWebhookVariables, TOnMutateResult>,
): UseMutationResult<WebhookEndpoint, Error, UpdateWebhookVariables, TOnMutateResult> {
  return useCmsMutation(
    {
      hook: 'useUpdateWebhook',
      run: (cms, { webhookId, changes }) => cms.webhooks.update(webhookId, changes),
      onSuccessCache: (queryClient, endpoint) => storeEndpoint(queryClient, endpoint),
    },
    options,
  );
}

/** Removes an endpoint and its delivery log (`mutate(webhookId)`); drops them from the cache and refetches the list. */
export function useDeleteWebhook<TOnMutateResult = unknown>(
  options?: CmsMutationOptions<void, string, TOnMutateResult>,
): UseMutationResult<void, Error, string, TOnMutateResult> {
  return useCmsMutation(
    {
      hook: 'useDeleteWebhook',
      run: (cms, webhookId) => cms.webhooks.delete(webhookId),
      onSuccessCache: async (queryClient, _data, webhookId) => {
        queryClient.removeQueries({ queryKey: cmsKeys.webhooks.detail(webhookId) });
        queryClient.removeQueries({ queryKey: cmsKeys.webhooks.deliveries(webhookId) });
        await queryClient.invalidateQueries({ queryKey: cmsKeys.webhooks.list() });
      },
    },
    options,
  );
}

/** What `useRotateWebhookSecret().mutate` takes; older secrets keep signing for `graceSeconds` (default a day). */
export interface RotateWebhookSecretVariables {
  webhookId: string;
  graceSeconds?: number;
}

/** Issues a new signing secret (answered once, never cached); refetches the endpoint. */
export function useRotateWebhookSecret<TOnMutateResult = unknown>(
  options?: CmsMutationOptions<WebhookSecret, RotateWebhookSecretVariables, TOnMutateResult>,
): UseMutationResult<WebhookSecret, Error, RotateWebhookSecretVariables, TOnMutateResult> {
  return useCmsMutation(
    {
      hook: 'useRotateWebhookSecret',
      run: (cms, { webhookId, graceSeconds }) =>
        cms.webhooks.rotateSecret(webhookId, graceSeconds === undefined ? {} : { graceSeconds }),
      onSuccessCache: (queryClient, _data, { webhookId }) =>
        queryClient.invalidateQueries({ queryKey: cmsKeys.webhooks.detail(webhookId) }),
    },
    options,
  );
}

/** Queues a `webhook.ping` to an endpoint (`mutate(webhookId)`, sent even when disabled); refetches its delivery log. */
export function useTestWebhook<TOnMutateResult = unknown>(
  options?: CmsMutationOptions<WebhookDelivery, string, TOnMutateResult>,
): UseMutationResult<WebhookDelivery, Error, string, TOnMutateResult> {
  return useCmsMutation(
    {
      hook: 'useTestWebhook',
      run: (cms, webhookId) => cms.webhooks.test(webhookId),
      onSuccessCache: (queryClient, _data, webhookId) => refetchDeliveries(queryClient, webhookId),
    },
    options,
  );
}

/** What `useRetryWebhookDelivery().mutate` takes. */
export interface RetryWebhookDeliveryVariables {
  webhookId: string;
  deliveryId: string;
}

/** Sends a delivery again now (same `webhook-id`, fresh schedule); refetches the endpoint's log and that delivery. */
export function useRetryWebhookDelivery<TOnMutateResult = unknown>(
  options?: CmsMutationOptions<WebhookDelivery, RetryWebhookDeliveryVariables, TOnMutateResult>,
): UseMutationResult<WebhookDelivery, Error, RetryWebhookDeliveryVariables, TOnMutateResult> {
  return useCmsMutation(
    {
      hook: 'useRetryWebhookDelivery',
      run: (cms, { webhookId, deliveryId }) => cms.webhooks.retry(webhookId, deliveryId),
      onSuccessCache: (queryClient, _data, { webhookId }) => refetchDeliveries(queryClient, webhookId),
    },
    options,
  );
}

/** What `useReplayWebhook().mutate` takes: the endpoint and the time range `[from, to)` (ISO 8601). */
export interface ReplayWebhookVariables {
  webhookId: string;
  from: string;
  to: string;
}

/** Queues the organization's events of `[from, to)` to an endpoint again; answers how many; refetches its log. */
export function useReplayWebhook<TOnMutateResult = unknown>(
  options?: CmsMutationOptions<WebhookReplayResult, ReplayWebhookVariables, TOnMutateResult>,
): UseMutationResult<WebhookReplayResult, Error, ReplayWebhookVariables, TOnMutateResult> {
  return useCmsMutation(
    {
      hook: 'useReplayWebhook',
      run: (cms, { webhookId, from, to }) => cms.webhooks.replay(webhookId, { from, to }),
      onSuccessCache: (queryClient, _data, { webhookId }) => refetchDeliveries(queryClient, webhookId),
    },
    options,
  );
}
