import { handleErpEventsNow } from '../erp/pull-payments-from-erp.ts';
import type { Deps } from '../ports/deps.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/** ERP webhook events: their invoices' payments are pulled now; "later" retries the job. */
export function handleErpEventsTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    parseJobPayload('handle_erp_events', payload);
    await handleErpEventsNow(deps);
  };
}
