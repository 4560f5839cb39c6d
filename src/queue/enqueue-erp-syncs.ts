import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/database.ts';
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

/**
 * Called by a sync job as it starts: it gives up its key, so syncs queued while it runs make a new
 * job instead of landing on this one. NOTE: graphile-worker's add_job, meeting a running (locked) job
 * with the key, clears that key and sets the running job's attempts to its max (sql/000018.sql: "in
 * the case of locked existing job create a new job instead"): any retryable failure of the running
 * batch would then be its last, and its syncs left for the sweeper. With the key given up first, and
 * the attempts put back to this attempt's count should that have happened just before (nothing else
 * changes a locked job's attempts), the running job keeps its own retries for the entries that fail.
 * Writes graphile-worker's private jobs table, as its own functions do; pinned with graphile-worker 0.17.
 */
export async function detachRunningErpSyncJob(db: Db, job: { id: string; attempts: number }): Promise<void> {
  await sql`update graphile_worker._private_jobs set key = null, attempts = ${job.attempts}
             where id = ${job.id}::bigint`.execute(db);
}
