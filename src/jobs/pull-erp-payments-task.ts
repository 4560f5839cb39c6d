import type { Deps } from '../ports/deps.ts';
import { handleErpEvents, pullErpPayments } from '../payments/pull-erp-payments.ts';
import { openErpForPayments } from './erp-payments-queue.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/** Hourly: webhook events left unhandled, then synced invoices still owed money, least recently asked first. */
export function pullErpPaymentsTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    parseJobPayload('pull_erp_payments', payload);
    if (deps.erp === undefined) return;
    const opened = await openErpForPayments(deps, deps.erp);
    if (opened === undefined) return;
    await handleErpEvents(deps, opened.client, opened.connection.tenantId);
    const summary = await pullErpPayments(deps, opened.client);
    if (summary.asked > 0) {
      deps.logger.info(
        { asked: summary.asked, recorded: summary.recorded, failed: summary.failures.length },
        `Payments pulled from ${deps.erp.provider}`,
      );
    }
  };
}
