import { sql } from 'kysely';
import type { TaxTreatmentView } from '../../blocks/amount-line.ts';
import type { AfterApproval, ApprovalCardView, CardOutcome, ReasonView } from '../../blocks/view-models.ts';
import { previousTotalOf } from '../approval/draft-decisions.ts';
import { currentApprovals } from '../approval/current-approvals.ts';
import type { BillingException } from '../billing-runs/billing-exception.ts';
import { periodLabel } from '../calendar/billing-period.ts';
import type { Db } from '../db/database.ts';
import type { InvoiceStatus } from '../db/schema.ts';
import { Decimal } from '../money/decimal.ts';
import { toMoneyString } from '../money/rounding.ts';
import { outstandingOf } from '../money/outstanding.ts';

export interface LoadedCard {
  view: ApprovalCardView;
  status: InvoiceStatus;
  /** Set once a person (or people) decided; the card is then shown decided. */
  outcome: CardOutcome | undefined;
  runId: string | null;
  channelId: string | null;
  cardTs: string | null;
  threadTs: string | null;
}

/** An invoice as its approval card shows it, with where the card is and how it was decided. */
export async function loadApprovalCardView(db: Db, invoiceId: string): Promise<LoadedCard | undefined> {
  const invoice = await db
    .selectFrom('invoices as i')
    .innerJoin('customers as c', 'c.id', 'i.customer_id')
    .select([
      'i.id',
      'i.run_id',
      'i.version',
      'i.status',
      'i.currency',
      'i.subtotal',
      'i.discount_total',
      'i.tax_total',
      'i.prices_include_tax',
      'i.total',
      'i.amount_paid',
      'i.amount_credited',
      'i.due_date',
      'i.period_start',
      'i.period_end',
      'i.review_reasons',
      'i.exceptions',
      'i.approvals_required',
      'i.slack_channel_id',
      'i.slack_card_ts',
      'i.slack_thread_ts',
      'i.number',
      'c.name',
      'c.external_id',
      previousTotalOf(sql.ref('i')).as('previous_total'),
    ])
    .where('i.id', '=', invoiceId)
    .executeTakeFirst();
  if (invoice === undefined) return undefined;
  const lines = await db
    .selectFrom('invoice_lines')
    .select(['description', 'quantity', 'amount', 'calculation'])
    .where('invoice_id', '=', invoiceId)
    .orderBy('position')
    .execute();
  // Approvals count from the last time the invoice was (re)submitted: after its last rejection.
  const { approvals: current, lastRejection: rejected } = await currentApprovals(db, invoiceId);
  const approvals = current.flatMap((row) =>
    row.slack_user_id === null ? [] : [{ userId: row.slack_user_id, at: row.decided_at }],
  );

  const previous = invoice.previous_total === null ? null : new Decimal(invoice.previous_total);
  const view: ApprovalCardView = {
    invoiceId: invoice.id,
    version: invoice.version,
    customerName: invoice.name,
    customerExternalId: invoice.external_id,
    currency: invoice.currency,
    subtotal: invoice.subtotal,
    discount: invoice.discount_total,
    tax: invoice.tax_total,
    total: invoice.total,
    pricesIncludeTax: invoice.prices_include_tax,
    treatment: treatmentOf(lines.map((line) => line.calculation)),
    dueDate: invoice.due_date ?? '',
    periodLabel:
      invoice.period_start === null || invoice.period_end === null
        ? ''
        : periodLabel(invoice.period_start, invoice.period_end),
    lines: lines.map(({ description, quantity, amount }) => ({ description, quantity, amount })),
    reasons: invoice.review_reasons as unknown as ReasonView[],
    exceptions: (invoice.exceptions as unknown as BillingException[]).map((exception) => ({
      code: exception.code,
      text: exception.message,
    })),
    change:
      previous === null
        ? null
        : {
            previousTotal: previous.toFixed(),
            percent: previous.isZero()
              ? '100'
              : new Decimal(invoice.total).minus(previous).dividedBy(previous.abs()).times(100).toFixed(1),
          },
    approvalsRequired: invoice.approvals_required === 2 ? 2 : 1,
    approvals,
  };
  const rejection = invoice.status === 'rejected' ? rejected : undefined;
  let outcome: CardOutcome | undefined;
  if (rejection?.slack_user_id != null) {
    outcome = {
      decision: 'rejected',
      userId: rejection.slack_user_id,
      at: rejection.decided_at,
      reason: rejection.reason ?? '',
    };
  } else if (invoice.status !== 'pending_approval' && invoice.status !== 'draft' && approvals.length > 0) {
    const email = await db
      .selectFrom('deliveries')
      .select('state')
      .where('invoice_id', '=', invoiceId)
      .where('kind', '=', 'invoice')
      // Only a reminder is ever cancelled; the invoice's own email has one of the card's states.
      .where('state', '!=', 'cancelled')
      .$narrowType<{ state: NonNullable<AfterApproval['email']> }>()
      .executeTakeFirst();
    const erp = await db
      .selectFrom('erp_syncs')
      .select(['provider', 'state'])
      .where('invoice_id', '=', invoiceId)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    outcome = {
      decision: 'approved',
      userIds: approvals.map((row) => row.userId),
      at: current.at(-1)?.decided_at ?? new Date(),
      after: {
        number: invoice.number,
        email: email?.state ?? null,
        erp: erp ?? null,
        paid: toMoneyString(new Decimal(invoice.amount_paid), invoice.currency),
        credited: toMoneyString(new Decimal(invoice.amount_credited), invoice.currency),
        outstanding: toMoneyString(outstandingOf(invoice), invoice.currency),
        overdue: invoice.status === 'overdue',
        voided: invoice.status === 'void',
      },
    };
  }
  return {
    view,
    status: invoice.status,
    outcome,
    runId: invoice.run_id,
    channelId: invoice.slack_channel_id,
    cardTs: invoice.slack_card_ts,
    threadTs: invoice.slack_thread_ts,
  };
}

/** How tax applied to the invoice, from its lines' recorded working (each carries its tax treatment). */
function treatmentOf(calculations: readonly unknown[]): TaxTreatmentView {
  const taxes = calculations.map(
    (calculation) => (calculation as { tax?: { kind?: unknown; label?: unknown } }).tax,
  );
  const kinds = new Set(taxes.map((tax) => tax?.kind));
  if (kinds.size === 1 && kinds.has('reverse_charge')) return { kind: 'reverse_charge' };
  if (kinds.size === 1 && kinds.has('exempt')) return { kind: 'exempt' };
  const labels = [
    ...new Set(
      taxes.flatMap((tax) => (tax?.kind === 'standard' && typeof tax.label === 'string' ? [tax.label] : [])),
    ),
  ];
  return labels.length === 0 ? { kind: 'unknown' } : { kind: 'standard', labels };
}
