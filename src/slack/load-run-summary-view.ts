import { sql } from 'kysely';
import type { RunSummaryView } from '../../blocks/view-models.ts';
import { periodLabel } from '../calendar/billing-period.ts';
import type { RunCounts } from '../billing-runs/run-summary.ts';
import { describeSavedScope } from '../billing-config/run-scope.ts';
import type { Db } from '../db/database.ts';
import { sum, Decimal } from '../money/decimal.ts';
import { toMoneyString } from '../money/rounding.ts';

/** The run as its summary message shows it now: counts by where each invoice stands. */
export async function loadRunSummaryView(db: Db, runId: string): Promise<RunSummaryView | undefined> {
  const run = await db.selectFrom('billing_runs').selectAll().where('id', '=', runId).executeTakeFirst();
  if (run === undefined) return undefined;
  const { rows } = await sql<{
    status: string;
    blocked: boolean;
    auto: boolean;
    currency: string;
    total: string;
    invoices: number;
    without_card: number;
  }>`
    select i.status, jsonb_array_length(i.exceptions) > 0 as blocked,
      exists (select 1 from approvals a where a.invoice_id = i.id and a.decision = 'auto_approved') as auto,
      i.currency, sum(i.total)::text as total, count(*)::int as invoices,
      count(*) filter (where i.slack_card_ts is null)::int as without_card
    from invoices i where i.run_id = ${runId}
    group by 1, 2, 3, 4
  `.execute(db);
  const count = (where: (row: (typeof rows)[number]) => boolean) =>
    rows.filter(where).reduce((total, row) => total + row.invoices, 0);
  const held = (row: (typeof rows)[number]) =>
    row.status === 'pending_approval' || (row.status === 'draft' && row.blocked);
  const currencies = [...new Set(rows.map((row) => row.currency))].sort();
  const saved = run.counts as Partial<RunCounts>;
  return {
    runId: run.id,
    periodLabel: periodLabel(run.period_start, run.period_end),
    scope: describeSavedScope(run.scope),
    startedBy: run.started_by.startsWith('slack:') ? run.started_by.slice('slack:'.length) : run.started_by,
    status: run.status,
    totals: currencies.map((currency) => {
      const mine = rows.filter((row) => row.currency === currency && row.status !== 'void');
      return {
        currency,
        invoices: mine.reduce((total, row) => total + row.invoices, 0),
        total: toMoneyString(sum(mine.map((row) => new Decimal(row.total))), currency),
      };
    }),
    counts: {
      drafted: count(() => true),
      autoApproved: count((row) => row.auto),
      needsReview: count((row) => row.status === 'pending_approval'),
      exceptions: count((row) => row.status === 'draft' && row.blocked),
      approved: count(
        (row) =>
          row.status !== 'pending_approval' &&
          row.status !== 'draft' &&
          row.status !== 'rejected' &&
          !row.auto,
      ),
      rejected: count((row) => row.status === 'rejected'),
      nothingToBill: saved.nothingToBill ?? 0,
      alreadyInvoiced: saved.alreadyInvoiced ?? 0,
    },
    withoutCards: rows.filter(held).reduce((total, row) => total + row.without_card, 0),
    updatedAt: new Date(),
  };
}
