import type { DryRunView } from '../../blocks/command-replies.ts';
import type { RunSummary } from './run-summary.ts';

/** Maps the dry run's RunSummary (billing-runs/run-summary.ts) to what the reply shows. */
export function toDryRunView(summary: RunSummary, periodLabel: string): DryRunView {
  return {
    periodLabel,
    scope: summary.scope,
    counts: summary.counts,
    totals: Object.entries(summary.totals).map(([currency, totals]) => ({
      currency,
      invoices: totals.invoices,
      total: totals.total,
    })),
    invoices: summary.invoices.map((invoice) => ({
      customerExternalId: invoice.customerExternalId,
      customerName: invoice.customerName,
      currency: invoice.currency,
      total: invoice.total,
      exceptions: invoice.exceptions,
    })),
  };
}
