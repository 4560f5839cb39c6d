import type { Db } from '../db/database.ts';
import type { BillingException } from './billing-exception.ts';
import { describeSavedScope } from '../billing-config/run-scope.ts';
import type { BillingPeriod } from '../calendar/billing-period.ts';
import type { CurrencyTotals, RunCounts, RunSummary } from './run-summary.ts';

/** The run for (key, period) as saved, with its invoices; undefined when there is none. */
export async function findRunSummary(db: Db, key: string, period: Pick<BillingPeriod, 'start' | 'end'>) {
  const run = await db
    .selectFrom('billing_runs')
    .selectAll()
    .where('trigger_key', '=', key)
    .where('period_start', '=', period.start)
    .where('period_end', '=', period.end)
    .executeTakeFirst();
  if (run === undefined) return undefined;
  const invoices = await db
    .selectFrom('invoices')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select((eb) => [
      'invoices.id',
      'invoices.currency',
      'invoices.subtotal',
      'invoices.discount_total',
      'invoices.tax_total',
      'invoices.total',
      'invoices.due_date',
      'invoices.exceptions',
      'customers.external_id',
      'customers.name',
      eb
        .selectFrom('invoice_lines')
        .select((count) => count.fn.countAll<string>().as('count'))
        .whereRef('invoice_lines.invoice_id', '=', 'invoices.id')
        .as('line_count'),
    ])
    .where('invoices.run_id', '=', run.id)
    .orderBy('customers.external_id')
    .execute();
  const summary: RunSummary = {
    id: run.id,
    trigger: run.trigger,
    period: { start: run.period_start, end: run.period_end },
    scope: describeSavedScope(run.scope),
    status: run.status,
    startedBy: run.started_by,
    createdAt: run.created_at,
    counts: run.counts as unknown as RunCounts,
    totals: run.totals as unknown as Record<string, CurrencyTotals>,
    invoices: invoices.map((row) => ({
      invoiceId: row.id,
      customerExternalId: row.external_id,
      customerName: row.name,
      currency: row.currency,
      lineCount: Number(row.line_count ?? 0),
      subtotal: row.subtotal,
      discount: row.discount_total,
      tax: row.tax_total,
      total: row.total,
      dueDate: row.due_date ?? '',
      exceptions: row.exceptions as unknown as BillingException[],
    })),
  };
  return summary;
}
