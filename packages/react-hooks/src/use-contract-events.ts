import type { ContractEvent, ContractEventType, EventFilter } from '@cms/sdk';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useCmsContext } from './cms-provider.js';
import { applyContractEvent } from './live-contract-events.js';

export interface UseContractEventsOptions extends EventFilter<ContractEventType> {
  /** Subscribe only while true (e.g. `isAuthenticated`). @default true */
  enabled?: boolean;
  /** Called after each event has been applied to the cache. */
  onEvent?: (event: ContractEvent) => void;
}

export interface UseContractEventsResult {
  /** `connecting` until the server accepted the stream, `live` while it is open, `closed` after a final error or when disabled. */
  state: 'connecting' | 'live' | 'closed';
  /** The last event received, if any. */
  lastEvent: ContractEvent | undefined;
}

/**
 * Keeps the cache live: subscribes to `GET /v1/events` (resuming after reconnects) while mounted and
 * patches every contract event into the cached lists and details (`applyContractEvent`). A stream that
 * could not resume (events missed) refetches every contract query.
 * @example
 * function Live() { const { state } = useContractEvents({ enabled: isAuthenticated }); return <span>{state}</span>; }
 */
export function useContractEvents(options: UseContractEventsOptions = {}): UseContractEventsResult {
  const { client, session } = useCmsContext('useContractEvents');
  const queryClient = useQueryClient();
  const [state, setState] = useState<UseContractEventsResult['state']>('connecting');
  const [lastEvent, setLastEvent] = useState<ContractEvent>();
  const onEvent = useRef(options.onEvent);
  onEvent.current = options.onEvent;
  const enabled = options.enabled ?? true;
  const { contractId } = options;
  const types = options.types?.join(',');

  // biome-ignore lint/correctness/useExhaustiveDependencies: session.did is deliberate: a new login reopens the stream
  useEffect(() => {
    if (!enabled) {
      setState('closed');
      return;
    }
    setState('connecting');
    const filter: EventFilter = {
      ...(contractId ? { contractId } : {}),
      ...(types ? { types: types.split(',') as ContractEventType[] } : {}),
    };
    const subscription = client.events.subscribe(
      filter,
      (event) => {
        // The stream also tells members that a webhook endpoint was disabled: not a contract change.
        if (event.type === 'webhook.disabled') return;
        applyContractEvent(queryClient, event);
        setLastEvent(event);
        onEvent.current?.(event);
      },
      {
        onOpen: () => setState('live'),
        onReset: () => void queryClient.invalidateQueries({ queryKey: ['cms', 'contracts'] }),
      },
    );
    void subscription.done.then(() => setState('closed'));
    return () => subscription.close();
    // A new login (another DID) opens a new stream with the new token.
  }, [client, queryClient, enabled, contractId, types, session.did]);

  return { state, lastEvent };
}
