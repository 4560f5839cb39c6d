import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { enqueueJobs } from '../jobs/enqueue-job.ts';
import { eventLoopBudget } from '../jobs/event-loop-budget.ts';
import { Decimal } from '../money/decimal.ts';
import { decideApproval } from './approval-policy.ts';
import type { ApprovalPolicy, ReviewReason } from './approval-policy-types.ts';

/** Statuses of an invoice that reached the customer, or is on its way: what "last invoice" means. */
export const SENT_STATUSES = ['approved', 'finalized', 'partially_paid', 'paid', 'overdue'] as const;

/**
 * SQL for the total of the customer's last sent invoice in the same currency before the invoice
 * aliased `invoice` (null for a first invoice): what "change against the last invoice" compares with.
 * Like is compared with like: a recurring invoice with the last recurring one, a one-off order's
 * invoice with the last one-off; a small order never makes next month's invoice look like a jump.
 */
export function previousTotalOf(invoice: RawBuilder<unknown>) {
  return sql<string | null>`(
    select p.total from invoices p
    where p.customer_id = ${invoice}.customer_id and p.currency = ${invoice}.currency and p.id <> ${invoice}.id
      and (p.origin is null) = (${invoice}.origin is null)
      and p.status in (${sql.join(SENT_STATUSES.map((status) => sql.lit(status)))})
    order by p.period_start desc nulls last, p.created_at desc
    limit 1
  )`;
}

export interface PolicyCounts {
  autoApproved: number;
  needsReview: number;
  blocked: number;
}

/**
 * Decides every draft of a run by the policy, inside the run's transaction: auto-approved drafts
 * become `approved` (with an auto_approved record), held ones `pending_approval` with their reasons,
 * blocked ones stay `draft` with theirs. One read and two writes, whatever the run's size.
 */
export async function applyApprovalPolicy(
  trx: Transaction<Database>,
  policy: ApprovalPolicy,
  runId: string,
  /** Only these invoices of the run (a resubmitted one); all its drafts when absent. */
  only?: readonly string[],
): Promise<PolicyCounts> {
  const { rows } = await sql<DraftToDecide>`
    select i.id, i.version, i.currency, i.total, i.exceptions, c.hold_for_review,
      ${previousTotalOf(sql.ref('i'))} as previous_total
    from invoices i
    join customers c on c.id = i.customer_id
    where i.run_id = ${runId} and i.status = 'draft'
      and ${only === undefined ? sql`true` : sql`i.id = any(${[...only]}::uuid[])`}
  `.execute(trx);

  const budget = eventLoopBudget();
  const decisions: ReturnType<typeof decisionFor>[] = [];
  for (const row of rows) {
    await budget.pause();
    decisions.push(decisionFor(policy, row));
  }
  if (decisions.length > 0) {
    await sql`
      update invoices i set status = d.status, review_reasons = d.review_reasons,
        approvals_required = d.approvals_required, updated_at = now()
      from json_to_recordset(${JSON.stringify(decisions)}::json) as d (id uuid, status text, review_reasons jsonb,
        approvals_required int)
      where i.id = d.id and i.status = 'draft'
    `.execute(trx);
    const approved = decisions.filter((decision) => decision.status === 'approved');
    if (approved.length > 0) {
      await sql`
        insert into approvals (invoice_id, decision, invoice_version)
        select id, 'auto_approved', version from json_to_recordset(${JSON.stringify(approved)}::json)
          as d (id uuid, version int)
      `.execute(trx);
      await enqueueJobs(
        trx,
        'finalize_invoice',
        approved.map((decision) => ({ invoiceId: decision.id })),
      );
    }
  }
  return {
    autoApproved: decisions.filter((decision) => decision.status === 'approved').length,
    needsReview: decisions.filter((decision) => decision.status === 'pending_approval').length,
    blocked: decisions.filter((decision) => decision.status === 'draft').length,
  };
}

interface DraftToDecide {
  id: string;
  version: number;
  currency: string;
  total: string;
  exceptions: unknown[];
  hold_for_review: boolean;
  previous_total: string | null;
}

function decisionFor(policy: ApprovalPolicy, row: DraftToDecide) {
  const decision = decideApproval(policy, {
    currency: row.currency,
    total: new Decimal(row.total),
    blocked: row.exceptions.length > 0,
    customerOnHold: row.hold_for_review,
    previousTotal: row.previous_total === null ? null : new Decimal(row.previous_total),
  });
  const status =
    decision.outcome === 'auto_approve'
      ? 'approved'
      : decision.outcome === 'review'
        ? 'pending_approval'
        : 'draft';
  return {
    id: row.id,
    version: row.version,
    status,
    review_reasons: decision.reasons satisfies ReviewReason[],
    approvals_required: decision.approvalsRequired,
  };
}
