import { sql } from 'kysely';
import { messageLink } from '../../blocks/app-home.ts';
import type { AppHomeView, ReasonView, RunStatusView } from '../../blocks/view-models.ts';
import { isApprover } from '../approval/approver-check.ts';
import { SENT_STATUSES } from '../approval/draft-decisions.ts';
import { approvedThisRoundBy } from '../approval/current-approvals.ts';
import { periodLabel } from '../calendar/billing-period.ts';
import { startOfNextMonth, todayIn } from '../calendar/calendar-date.ts';
import type { Deps } from '../ports/deps.ts';
import { loadRunSummaryView } from './load-run-summary-view.ts';

const HOME_PENDING_LIMIT = 15;

/** `/invoice status [run]`: that run, or the latest one. */
export async function loadRunStatus(
  deps: Pick<Deps, 'db'>,
  runId: string | undefined,
): Promise<RunStatusView | undefined> {
  const run = await deps.db
    .selectFrom('billing_runs')
    .select(['id', 'slack_channel_id', 'slack_summary_ts'])
    .$if(runId !== undefined, (query) => query.where('id', '=', runId ?? ''))
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (run === undefined) return undefined;
  const summary = await loadRunSummaryView(deps.db, run.id);
  if (summary === undefined) return undefined;
  return { summary, permalink: messageLink(run.slack_channel_id, run.slack_summary_ts) };
}

/** App Home for one person: what waits for them, runs in progress, failures, this month's totals. */
export async function loadAppHome(
  deps: Pick<Deps, 'db' | 'billing' | 'slack' | 'clock'>,
  userId: string,
): Promise<AppHomeView> {
  const approver = await isApprover(deps, userId);
  const pendingRows = approver
    ? await deps.db
        .selectFrom('invoices')
        .innerJoin('customers', 'customers.id', 'invoices.customer_id')
        .leftJoin('billing_runs', 'billing_runs.id', 'invoices.run_id')
        .select([
          'invoices.id',
          'invoices.version',
          'invoices.currency',
          'invoices.total',
          'invoices.review_reasons',
          'customers.name',
          sql<number>`(count(*) over ())::int`.as('total_count'),
        ])
        .where('invoices.status', '=', 'pending_approval')
        // Not the runs this person started (unless policy allows), nor those they already approved.
        .$if(!deps.billing.approval.starterMayApprove, (query) =>
          query.where((eb) =>
            eb.or([
              eb('billing_runs.started_by', 'is', null),
              eb('billing_runs.started_by', '<>', `slack:${userId}`),
            ]),
          ),
        )
        .where(sql<boolean>`not ${approvedThisRoundBy(userId)}`)
        .orderBy('invoices.total', 'desc')
        .limit(HOME_PENDING_LIMIT)
        .execute()
    : [];
  const runs = await deps.db
    .selectFrom('billing_runs')
    .select(['id', 'period_start', 'period_end', 'status', 'slack_channel_id', 'slack_summary_ts'])
    .select((eb) =>
      eb
        .selectFrom('invoices')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('invoices.run_id', '=', 'billing_runs.id')
        .where('invoices.status', '=', 'pending_approval')
        .as('needs_review'),
    )
    .where('status', 'in', ['drafting', 'awaiting_approval'])
    .orderBy('created_at', 'desc')
    .limit(15)
    .execute();
  const today = todayIn(deps.billing.timezone, deps.clock.now());
  const monthStart = `${today.slice(0, 7)}-01`;
  const totals = await deps.db
    .selectFrom('invoices')
    .select([
      'currency',
      sql<number>`count(*)::int`.as('invoices'),
      sql<string>`sum(total)::text`.as('total'),
    ])
    .where('status', 'in', [...SENT_STATUSES])
    .where('issue_date', '>=', monthStart)
    .groupBy('currency')
    .orderBy('currency')
    .execute();
  // Emails that failed or may not have arrived, newest first: each waits for a person in its thread.
  const failedEmails = await deps.db
    .selectFrom('deliveries')
    .innerJoin('invoices', 'invoices.id', 'deliveries.invoice_id')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select([
      'deliveries.state',
      'deliveries.error',
      'deliveries.last_attempt_at',
      'invoices.number',
      'customers.name',
    ])
    .where('deliveries.state', 'in', ['failed', 'uncertain'])
    .orderBy('deliveries.last_attempt_at', 'desc')
    .limit(15)
    .execute();
  return {
    userId,
    isApprover: approver,
    pending: pendingRows.map((row) => ({
      invoiceId: row.id,
      version: row.version,
      customerName: row.name,
      currency: row.currency,
      total: row.total,
      reasons: row.review_reasons as unknown as ReasonView[],
      blocked: false,
    })),
    pendingCount: pendingRows[0]?.total_count ?? 0,
    runs: runs.map((run) => ({
      runId: run.id,
      periodLabel: periodLabel(run.period_start, run.period_end),
      status: run.status,
      needsReview: run.needs_review ?? 0,
      channelId: run.slack_channel_id,
      ts: run.slack_summary_ts,
    })),
    failures: failedEmails.map((row) => ({
      text: `${row.number ?? 'Invoice'} to ${row.name}: email ${row.state === 'uncertain' ? 'may not have arrived' : 'failed'} (${row.error ?? 'no reason given'})`,
      at: row.last_attempt_at ?? new Date(0),
    })),
    monthTotals: {
      monthLabel: periodLabel(monthStart, startOfNextMonth(monthStart)),
      totals: totals.map((row) => ({ currency: row.currency, invoices: row.invoices, total: row.total })),
    },
  };
}
