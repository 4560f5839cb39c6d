import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database, InvoiceStatus } from '../db/schema.ts';
import { enqueueJobs } from '../queue/enqueue-job.ts';
import { Decimal } from '../money/decimal.ts';
import { decideApproval } from './approval-policy.ts';
import type { ApprovalPolicy, ReviewReason } from '../billing-config/approval-policy-types.ts';

/** Statuses of an invoice that reached the customer, or is on its way: what "last invoice" means. */
export const SENT_STATUSES = ['approved', 'finalized', 'partially_paid', 'paid', 'overdue'] as const;

/**
 * SQL for the total of the customer's last sent invoice in the same currency other than the invoice
 * aliased `invoice` (null for a first invoice): what "change against the last invoice" compares with.
 * Like is compared with like: a recurring invoice with the last recurring one, a one-off order's
 * invoice with the last one-off; a small order never makes next month's invoice look like a jump.
 */
export function previousTotalOf(invoice: RawBuilder<unknown>) {
  return sql<string | null>`(
    select p.total from invoices p
    where p.customer_id = ${invoice}.customer_id and p.currency = ${invoice}.currency
      and p.id is distinct from ${invoice}.id
      and (p.origin is null) = (${invoice}.origin is null)
      and p.status in (${sql.join(SENT_STATUSES.map((status) => sql.lit(status)))})
    order by p.period_start desc nulls last, p.created_at desc
    limit 1
  )`;
}

/** What the policy knows of a customer beyond the draft itself. */
export interface ApprovalFacts {
  customerOnHold: boolean;
  /** The last sent invoice's total in the customer's currency, like with like; null before the first. */
  previousTotal: Decimal | null;
}

/**
 * Each customer's approval facts for a draft about to be written in their currency, in one query:
 * `recurring` compares with their last recurring invoice, `one_off` with their last one-off order.
 */
export async function loadApprovalFacts(
  db: Db,
  customerIds: readonly string[] | 'all',
  kind: 'recurring' | 'one_off',
): Promise<Map<string, ApprovalFacts>> {
  const origin = kind === 'recurring' ? null : 'one_off';
  const { rows } = await sql<{ id: string; hold_for_review: boolean; previous_total: string | null }>`
    select c.id, c.hold_for_review, ${previousTotalOf(sql.ref('draft'))} as previous_total
    from customers c
    cross join lateral (select c.id as customer_id, c.currency, null::uuid as id, ${origin}::text as origin) draft
    where ${customerIds === 'all' ? sql`true` : sql`c.id = any(${[...customerIds]}::uuid[])`}
  `.execute(db);
  return new Map(
    rows.map((row) => [
      row.id,
      {
        customerOnHold: row.hold_for_review,
        previousTotal: row.previous_total === null ? null : new Decimal(row.previous_total),
      },
    ]),
  );
}

/** A draft's status as the policy leaves it, with the reasons its card shows. */
export interface DraftDecision {
  status: Extract<InvoiceStatus, 'approved' | 'pending_approval' | 'draft'>;
  reviewReasons: ReviewReason[];
  approvalsRequired: number;
}

/** approved (auto), pending_approval (a person decides) or draft (blocked by its exceptions). */
export function decideDraft(
  policy: ApprovalPolicy,
  draft: { currency: string; total: Decimal; blocked: boolean },
  facts: ApprovalFacts,
): DraftDecision {
  const decision = decideApproval(policy, { ...draft, ...facts });
  const status =
    decision.outcome === 'auto_approve'
      ? 'approved'
      : decision.outcome === 'review'
        ? 'pending_approval'
        : 'draft';
  return { status, reviewReasons: decision.reasons, approvalsRequired: decision.approvalsRequired };
}

export interface PolicyCounts {
  autoApproved: number;
  needsReview: number;
  blocked: number;
}

export function countDecisions(decisions: Iterable<DraftDecision>): PolicyCounts {
  const counts: PolicyCounts = { autoApproved: 0, needsReview: 0, blocked: 0 };
  for (const { status } of decisions) {
    if (status === 'approved') counts.autoApproved += 1;
    else if (status === 'pending_approval') counts.needsReview += 1;
    else counts.blocked += 1;
  }
  return counts;
}

/**
 * For invoices the policy approved as they were written (or re-priced): the auto_approved record and the queued
 * finalization, in the caller's transaction. One statement each, however many.
 */
export async function recordAutoApprovals(
  trx: Transaction<Database>,
  approvedIds: readonly string[],
): Promise<void> {
  if (approvedIds.length === 0) return;
  await sql`
    insert into approvals (invoice_id, decision, invoice_version)
    select id, 'auto_approved', version from invoices where id = any(${[...approvedIds]}::uuid[])
  `.execute(trx);
  await enqueueJobs(
    trx,
    'finalize_invoice',
    approvedIds.map((invoiceId) => ({ invoiceId })),
  );
}
