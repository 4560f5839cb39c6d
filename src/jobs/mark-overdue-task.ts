import type { Deps } from '../ports/deps.ts';
import { escalateOverdueInvoices } from '../overdue/escalate-overdue-invoices.ts';
import { markOverdueInvoices } from '../overdue/mark-overdue-invoices.ts';
import { postOverdueDigest } from '../overdue/post-overdue-digest.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/**
 * Hourly, since each customer's day ends at a different hour: marks invoices overdue in their
 * customer's time zone, raises long-overdue ones in alerts (once each), and once a day posts the digest.
 */
export function markOverdueTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    parseJobPayload('mark_overdue', payload);
    const marked = await markOverdueInvoices(deps);
    if (marked.length > 0) deps.logger.info({ count: marked.length }, 'Invoices marked overdue');
    await escalateOverdueInvoices(deps);
    await postOverdueDigest(deps);
  };
}
