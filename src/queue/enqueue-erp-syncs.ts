import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ErpProvider } from '../ports/erp-client.ts';
import { enqueueJob } from './enqueue-job.ts';

// NOTE: invoices finalized within this window are posted together: one batch create instead of one
// call each, which matters against Xero's 60 calls a minute.
const GATHER_MS = 2000;

/**
 * Queues ERP syncs as one batch job per provider (graphile-worker merges array payloads of a pending
 * job with the same key), in the provider's own queue so its tenant's calls are never run twice at once.
 */
export async function enqueueErpSyncs(
  trx: Transaction<Database>,
  provider: ErpProvider,
  syncIds: readonly string[],
  now: Date,
  runAt?: Date,
): Promise<void> {
  if (syncIds.length === 0) return;
  await enqueueJob(
    trx,
    'sync_invoices_to_erp',
    syncIds.map((syncId) => ({ syncId })),
    {
      queueName: `erp:${provider}`,
      jobKey: runAt === undefined ? `erp-sync:${provider}` : `erp-sync:${provider}:${runAt.toISOString()}`,
      jobKeyMode: 'preserve_run_at',
      runAt: runAt ?? new Date(now.getTime() + GATHER_MS),
      maxAttempts: 10,
    },
  );
}
