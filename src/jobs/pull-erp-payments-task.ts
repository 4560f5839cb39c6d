import { pullPaymentsFromErp } from '../erp/pull-payments-from-erp.ts';
import type { Deps } from '../ports/deps.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/** Hourly: webhook events left unhandled, then synced invoices still owed money (pullPaymentsFromErp). */
export function pullErpPaymentsTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    parseJobPayload('pull_erp_payments', payload);
    await pullPaymentsFromErp(deps);
  };
}
