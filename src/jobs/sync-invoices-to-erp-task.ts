import { postInvoicesToErp } from '../erp/post-invoices-to-erp.ts';
import type { Deps } from '../ports/deps.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/**
 * A batch job (graphile-worker merges the syncs queued while it waits): one promise per payload entry,
 * so graphile-worker retries, with backoff, only the entries that failed in a retryable way.
 */
export function syncInvoicesToErpTask(deps: Deps) {
  return async (payload: unknown): Promise<Promise<void>[] | undefined> => {
    const entries = parseJobPayload('sync_invoices_to_erp', payload);
    if (deps.erp === undefined) return undefined;
    const settled = await postInvoicesToErp(
      deps,
      entries.map((entry) => entry.syncId),
    );
    return entries.map((entry) => settled.get(entry.syncId) ?? Promise.resolve());
  };
}
