import { recordAuditEntry } from '../../audit/record-audit-entry.ts';
import type { Deps } from '../../ports/deps.ts';
import { enqueueErpSyncs } from '../../queue/enqueue-erp-syncs.ts';
import { postErpConnectionNews } from '../post-erp-news.ts';
import type { ErpGateway } from '../../ports/erp-gateway.ts';
import { completeErpConnection, type ConnectOutcome } from './connect-erp.ts';
import { waitingErpSyncIds } from './erp-connections.ts';

/**
 * The whole of an OAuth callback: the connection is stored, audited, every invoice that waited for it
 * is queued, and the billing channel is told who connected what.
 */
export async function finishErpConnection(
  deps: Pick<Deps, 'db' | 'clock' | 'slack' | 'billing'>,
  gateway: ErpGateway,
  query: URLSearchParams,
  options: { announce: boolean } = { announce: true },
): Promise<ConnectOutcome> {
  const outcome = await completeErpConnection(deps, gateway.oauth, query);
  if (!outcome.ok) return outcome;
  const now = deps.clock.now();
  const waiting = await deps.db.transaction().execute(async (trx) => {
    const ids = await waitingErpSyncIds(trx, outcome.provider);
    await enqueueErpSyncs(trx, outcome.provider, ids, now);
    await recordAuditEntry(
      trx,
      {
        actor: outcome.userId,
        action: 'erp.connected',
        subjectType: 'erp_connection',
        subjectId: `${outcome.provider}:${outcome.tenantId}`,
        details: { tenantName: outcome.tenantName },
      },
      now,
    );
    return ids.length;
  });
  if (options.announce) await postErpConnectionNews(deps, { kind: 'connected', ...outcome, waiting });
  return outcome;
}
