// Claims due webhook deliveries for one worker, in one statement. Raw SQL: drizzle cannot lock one
// table's rows (endpoints, SKIP LOCKED) while picking rows of another through a LATERAL join.
//
// - Endpoints are locked FOR UPDATE SKIP LOCKED: one claimer per endpoint at a time, so the
//   per-endpoint concurrency limit (deliveries in flight with a live lease) holds across instances.
// - A delivery is due when pending and its time has come, or when its lease ran out (its worker died).
// - Per-contract order: a delivery waits while an earlier one (lower `seq`) of the same contract to the
//   same endpoint is still pending or in flight.
// - Disabled endpoints get nothing but pings (`POST …/test`).
// A claim sets status `delivering`, a lease, and counts the attempt; `attempts` is the fencing token
// the worker's result must match (see webhooks/delivery-worker.ts).
import { sql } from 'drizzle-orm';
import type { Db } from './database.js';

export interface ClaimedDelivery {
  id: string;
  organizationId: string;
  endpointId: string;
  messageId: string;
  eventType: string;
  payload: Record<string, unknown>;
  attempts: number;
  url: string;
}

export async function claimWebhookDeliveries(
  db: Db,
  o: { limit: number; endpointConcurrency: number; leaseMs: number },
): Promise<ClaimedDelivery[]> {
  if (o.limit <= 0) return [];
  const due = sql`((d.status = 'pending' and d.next_attempt_at <= now()) or (d.status = 'delivering' and d.lease_until < now()))`;
  const { rows } = (await db.execute(sql`
    with endpoints as (
      select e.id, e.url, e.enabled,
        ${o.endpointConcurrency} - (select count(*) from webhook_deliveries f
          where f.endpoint_id = e.id and f.status = 'delivering' and f.lease_until >= now())::int as slots
      from webhook_endpoints e
      where exists (select 1 from webhook_deliveries d where d.endpoint_id = e.id and ${due}
        and (e.enabled or d.event_type = 'webhook.ping'))
      order by e.id
      limit ${o.limit}
      for update of e skip locked
    ),
    picked as (
      select p.id, endpoints.url from endpoints cross join lateral (
        select d.id from webhook_deliveries d
        where d.endpoint_id = endpoints.id and ${due}
          and (endpoints.enabled or d.event_type = 'webhook.ping')
          and (d.contract_id is null or not exists (
            select 1 from webhook_deliveries b
            where b.endpoint_id = d.endpoint_id and b.contract_id = d.contract_id and b.seq < d.seq
              and b.status in ('pending', 'delivering')))
        order by d.seq
        limit greatest(endpoints.slots, 0)
      ) p
      limit ${o.limit}
    )
    update webhook_deliveries w
    set status = 'delivering', attempts = w.attempts + 1,
      lease_until = now() + make_interval(secs => ${o.leaseMs / 1000})
    from picked where w.id = picked.id
    returning w.id, w.organization_id, w.endpoint_id, w.message_id, w.event_type, w.payload, w.attempts, picked.url
  `)) as unknown as { rows: Record<string, unknown>[] };
  return rows.map((r) => ({
    id: r.id as string,
    organizationId: r.organization_id as string,
    endpointId: r.endpoint_id as string,
    messageId: r.message_id as string,
    eventType: r.event_type as string,
    payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
    attempts: Number(r.attempts),
    url: r.url as string,
  }));
}
