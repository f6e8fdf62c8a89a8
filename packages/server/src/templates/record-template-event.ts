// Template changes join the organization's hash-chained, anchored audit trail like contract changes.

import { recordEvent } from '../audit/record-event.js';
import type { Principal } from '../auth/principal.js';
import type { Tx } from '../db/database.js';
import type { TemplateRow } from './template-view.js';

export function recordTemplateEvent(
  tx: Tx,
  principal: Principal,
  action: 'created' | 'updated' | 'published' | 'archived',
  row: TemplateRow,
  extra: Record<string, unknown> = {},
  occurredAt = new Date(),
) {
  return recordEvent(tx, {
    organizationId: row.organizationId,
    actorDid: principal.did,
    action: `template.${action}`,
    resource: { type: 'template', id: row.id },
    data: { revision: row.revision, status: row.status, draftHash: row.draftHash, ...extra },
    occurredAt,
  });
}
