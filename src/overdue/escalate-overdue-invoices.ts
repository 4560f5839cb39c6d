import { buildOverdueEscalation } from '../../blocks/overdue-news.ts';
import type { Deps } from '../ports/deps.ts';
import { claimEvent } from '../events/claim-event.ts';
import { loadOverdueInvoices, type OverdueInvoice } from './load-overdue-invoices.ts';

/**
 * Raises in the alerts channel the invoices overdue for more than `overdue.escalate_after_days`, each
 * once ever (claimed in processed_events as 'overdue_escalation'), together in one message per run.
 */
export async function escalateOverdueInvoices(
  deps: Pick<Deps, 'db' | 'billing' | 'clock' | 'slack'>,
): Promise<OverdueInvoice[]> {
  const now = deps.clock.now();
  const { escalateAfterDays } = deps.billing.overdue;
  return deps.db.transaction().execute(async (trx) => {
    const overdue = await loadOverdueInvoices(trx, deps.billing, now);
    const escalated: OverdueInvoice[] = [];
    for (const invoice of overdue) {
      if (invoice.daysOverdue <= escalateAfterDays) continue;
      if (await claimEvent(trx, 'overdue_escalation', invoice.invoiceId)) escalated.push(invoice);
    }
    if (escalated.length > 0) {
      // NOTE: posted before commit: a failed post rolls the claims back and the job tries again.
      await deps.slack.alert({ ...buildOverdueEscalation({ escalateAfterDays, invoices: escalated }) });
    }
    return escalated;
  });
}
