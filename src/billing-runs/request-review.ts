import { recordAuditEntry } from '../audit/record-audit-entry.ts';
import { periodLabel } from '../calendar/billing-period.ts';
import { draftInvoice } from './draft-invoice.ts';
import { loadBillingInputs } from './load-billing-inputs.ts';
import { invoiceAmounts, writeLines } from './write-drafts.ts';
import { todayIn } from '../calendar/calendar-date.ts';
import type { Deps } from '../ports/deps.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';
import { formatMoney } from '../money/format-money.ts';
import { decideDraft, recordAutoApprovals } from '../approval/draft-decisions.ts';

export type RequestReviewResult =
  | { code: 'resubmitted'; invoiceId: string; message: string }
  | { code: 'unknown_customer' | 'nothing_to_resubmit' | 'nothing_to_bill' | 'changed'; message: string };

/**
 * `/invoice review <customer>` after a fix: re-prices the customer's rejected (or blocked) draft from
 * today's data, in place and in one compare-and-set, decides it by the policy again, and posts a new
 * card when it needs one.
 */
export async function requestReview(
  deps: Pick<Deps, 'db' | 'billing' | 'clock'>,
  input: { customerExternalId: string; userId: string },
): Promise<RequestReviewResult> {
  const invoice = await deps.db
    .selectFrom('invoices')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select([
      'invoices.id',
      'invoices.run_id',
      'invoices.version',
      'invoices.status',
      'invoices.period_start',
      'invoices.period_end',
      'customers.name',
    ])
    .where('customers.external_id', '=', input.customerExternalId)
    .where('invoices.status', 'in', ['rejected', 'draft'])
    .where('invoices.run_id', 'is not', null)
    // A one-off order's invoice is priced from the order, which is not kept: it cannot be re-priced here.
    .where('invoices.origin', 'is', null)
    .orderBy('invoices.created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (invoice === undefined) {
    const known = await deps.db
      .selectFrom('customers')
      .select('id')
      .where('external_id', '=', input.customerExternalId)
      .executeTakeFirst();
    return known === undefined
      ? { code: 'unknown_customer', message: `No customer has the id "${input.customerExternalId}".` }
      : {
          code: 'nothing_to_resubmit',
          message: `${input.customerExternalId} has no rejected or blocked invoice to send for review again.`,
        };
  }
  const { run_id: runId, period_start: start, period_end: end } = invoice;
  if (runId === null || start === null || end === null) {
    return { code: 'nothing_to_resubmit', message: 'That invoice belongs to no billing run.' };
  }
  const period = { start, end, label: periodLabel(start, end) };
  const inputs = await loadBillingInputs(deps.db, deps.billing, period, {
    customers: [input.customerExternalId],
  });
  const customer = inputs.customers[0];
  const outcome =
    customer === undefined
      ? ({ kind: 'nothing_to_bill' } as const)
      : draftInvoice({
          billing: deps.billing,
          period,
          issueDate: todayIn(deps.billing.timezone, deps.clock.now()),
          ...customer,
        });
  if (customer === undefined || outcome.kind === 'nothing_to_bill') {
    return {
      code: 'nothing_to_bill',
      message: `${invoice.name} has nothing to bill for ${period.label} any more; the rejected invoice stays as it is.`,
    };
  }
  const { draft } = outcome;
  const decision = decideDraft(
    deps.billing.approval,
    { currency: draft.currency, total: draft.priced.total, blocked: draft.exceptions.length > 0 },
    customer.approval,
  );

  return deps.db.transaction().execute(async (trx) => {
    const { customer_id: _customer, ...amounts } = invoiceAmounts(draft);
    const updated = await trx
      .updateTable('invoices')
      .set((eb) => ({
        ...amounts,
        exceptions: JSON.stringify(amounts.exceptions),
        notes: JSON.stringify(amounts.notes),
        status: decision.status,
        review_reasons: JSON.stringify(decision.reviewReasons),
        approvals_required: decision.approvalsRequired,
        slack_card_ts: null,
        version: eb('version', '+', 1),
        updated_at: deps.clock.now(),
      }))
      .where('id', '=', invoice.id)
      .where('version', '=', invoice.version)
      .where('status', '=', invoice.status)
      .returning('id')
      .executeTakeFirst();
    if (updated === undefined) {
      return {
        code: 'changed',
        message: 'That invoice changed while it was being re-priced; try again.',
      } as const;
    }
    await trx.deleteFrom('invoice_lines').where('invoice_id', '=', invoice.id).execute();
    await writeLines(trx, [{ invoiceId: invoice.id, draft }]);
    await recordAutoApprovals(trx, decision.status === 'approved' ? [invoice.id] : []);
    await recordAuditEntry(
      trx,
      {
        actor: input.userId,
        action: 'invoice.resubmitted',
        subjectType: 'invoice',
        subjectId: invoice.id,
        details: { total: amounts.total, exceptions: draft.exceptions.length },
      },
      deps.clock.now(),
    );
    await enqueueJob(trx, 'post_run_messages', { runId });
    await enqueueJob(
      trx,
      'refresh_run_summary',
      { runId },
      { jobKey: `summary:${runId}`, jobKeyMode: 'preserve_run_at' },
    );
    const total = formatMoney(draft.priced.total, draft.currency);
    const where =
      decision.status === 'approved'
        ? 'approved by policy'
        : decision.status === 'pending_approval'
          ? 'waiting for review; a new card is on its way'
          : `still blocked: ${draft.exceptions.map((exception) => exception.message).join('; ')}`;
    return {
      code: 'resubmitted',
      invoiceId: invoice.id,
      message: `Re-priced ${invoice.name}'s invoice for ${period.label}: ${total}, ${where}.`,
    } as const;
  });
}
