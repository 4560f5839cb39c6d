import { postInvoicesToErp } from '../erp/post-invoices-to-erp.ts';
import { releaseAbandonedErpSyncs } from '../erp/requeue-stuck-erp-syncs.ts';
import type { Deps } from '../ports/deps.ts';
import { detachRunningErpSyncJob } from '../queue/enqueue-erp-syncs.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';
import type { JobHelpers } from 'graphile-worker';

/**
 * A batch job (graphile-worker merges the syncs queued while it waits): one promise per payload entry,
 * so graphile-worker retries, with backoff, only the entries that failed in a retryable way.
 */
export function syncInvoicesToErpTask(deps: Deps) {
  return async (payload: unknown, helpers: JobHelpers): Promise<Promise<void>[] | undefined> => {
    const entries = parseJobPayload('sync_invoices_to_erp', payload);
    if (deps.erp === undefined) return undefined;
    await detachRunningErpSyncJob(deps.db, helpers.job);
    const syncIds = entries.map((entry) => entry.syncId);
    // NOTE: a row of this job still in_flight was left by an earlier attempt (see releaseAbandonedErpSyncs).
    const released = await releaseAbandonedErpSyncs(deps.db, syncIds);
    if (released > 0) deps.logger.warn({ released }, 'Taking up ERP syncs an earlier attempt left in flight');
    const settled = await postInvoicesToErp(deps, syncIds);
    return entries.map((entry) => settled.get(entry.syncId) ?? Promise.resolve());
  };
}
