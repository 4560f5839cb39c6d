import { recordAuditEntry } from '../audit/record-audit-entry.ts';
import { claimSlackRequest, type SlackRequest } from '../events/claim-slack-request.ts';
import type { Deps } from '../ports/deps.ts';
import { enqueueCardRefresh } from '../queue/enqueue-card-refresh.ts';
import { enqueueErpSyncs } from '../queue/enqueue-erp-syncs.ts';

export type RetryErpSyncResult =
  | { code: 'queued' }
  | { code: 'not_failed'; state: string }
  | { code: 'not_found' }
  /** This click was handled before (a redelivery): nothing changed. */
  | { code: 'duplicate_request' };

/**
 * A person's Retry on a refused ERP posting (after fixing the mapping or the ERP): back to pending and
 * queued in one transaction. The attempt looks the invoice up by number first, so it never duplicates.
 * The click is claimed in the same transaction: a redelivered click queues nothing, even after the
 * attempt it asked for has failed again.
 */
export async function retryErpSync(
  deps: Pick<Deps, 'db' | 'clock'>,
  syncId: string,
  userId: string,
  request: SlackRequest,
): Promise<RetryErpSyncResult> {
  return deps.db.transaction().execute(async (trx) => {
    if (!(await claimSlackRequest(trx, request))) return { code: 'duplicate_request' } as const;
    const row = await trx
      .selectFrom('erp_syncs')
      .select(['state', 'provider', 'invoice_id'])
      .where('id', '=', syncId)
      .executeTakeFirst();
    if (row === undefined) return { code: 'not_found' } as const;
    const updated = await trx
      .updateTable('erp_syncs')
      .set({ state: 'pending' })
      .where('id', '=', syncId)
      .where('state', '=', 'failed')
      .returning('id')
      .executeTakeFirst();
    if (updated === undefined) return { code: 'not_failed', state: row.state } as const;
    await enqueueErpSyncs(trx, row.provider, [syncId], deps.clock.now());
    await enqueueCardRefresh(trx, row.invoice_id);
    await recordAuditEntry(
      trx,
      { actor: userId, action: 'erp_sync.retried', subjectType: 'erp_sync', subjectId: syncId },
      deps.clock.now(),
    );
    return { code: 'queued' } as const;
  });
}
