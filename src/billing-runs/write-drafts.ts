import type { Kysely } from 'kysely';
import type { DraftDecision } from '../approval/draft-decisions.ts';
import { copyRows } from '../db/copy-rows.ts';
import type { Database } from '../db/schema.ts';
import type { Decimal } from '../money/decimal.ts';
import { toMoneyString } from '../money/rounding.ts';
import type { BillingPeriod } from '../calendar/billing-period.ts';
import type { DraftInvoice } from './draft-invoice.ts';

/** An invoice id and what the approval policy decided for it. */
export interface DecidedInvoice {
  invoiceId: string;
  decision: DraftDecision;
}

/** A priced draft with the id it is written under and what the approval policy decided for it. */
export interface DecidedDraft extends DecidedInvoice {
  draft: DraftInvoice;
}

/** The unique indexes that keep a customer from being billed twice for a period, or an order twice. */
const ONE_INVOICE_PER = {
  invoices_one_per_customer_period: 'customer and period',
  invoices_one_live_per_origin: 'order',
} as const;

/**
 * Another run (or another delivery of the same order) committed the invoice first. The transaction
 * is aborted; starting over sees that invoice and leaves the customer out.
 */
export class DraftAlreadyWritten extends Error {
  readonly per: (typeof ONE_INVOICE_PER)[keyof typeof ONE_INVOICE_PER];

  constructor(per: DraftAlreadyWritten['per'], options: ErrorOptions) {
    super(`An invoice for this ${per} was written by someone else first`, options);
    this.per = per;
  }
}

/**
 * Writes decided drafts and their lines with COPY, in the caller's transaction: invoices already in
 * their policy status (approved, pending_approval, or draft when blocked). Callers send batches, and
 * may send the next before this one is written: the transaction runs its statements in order.
 * Rejects with DraftAlreadyWritten when a unique index refuses one (a concurrent run won the race).
 */
export async function writeDrafts(
  trx: Kysely<Database>,
  target: { runId: string; period: BillingPeriod; origin: string | null },
  drafts: readonly DecidedDraft[],
): Promise<void> {
  const rows = drafts.map(({ invoiceId, draft, decision }) => ({
    id: invoiceId,
    run_id: target.runId,
    origin: target.origin,
    period_start: target.period.start,
    period_end: target.period.end,
    status: decision.status,
    review_reasons: decision.reviewReasons,
    approvals_required: decision.approvalsRequired,
    ...invoiceAmounts(draft),
  }));
  // Both are sent at once: the lines follow their invoices on the connection. Both are waited for
  // even when the invoices fail (the lines then fail with "transaction aborted"), so nothing is still
  // queued on the connection when the caller rolls back.
  const [invoices, lines] = await Promise.allSettled([
    copyRows(trx, 'invoices', INVOICE_COLUMNS, rows),
    writeLines(trx, drafts),
  ]);
  if (invoices.status === 'rejected') {
    const per = uniqueIndexRefusing(invoices.reason);
    throw per === undefined ? invoices.reason : new DraftAlreadyWritten(per, { cause: invoices.reason });
  }
  if (lines.status === 'rejected') throw lines.reason;
}

/** Writes each draft's lines under its invoice id (a new invoice's, or a re-priced one's after its old lines went). */
export async function writeLines(
  trx: Kysely<Database>,
  drafts: readonly Pick<DecidedDraft, 'invoiceId' | 'draft'>[],
): Promise<void> {
  await copyRows(
    trx,
    'invoice_lines',
    LINE_COLUMNS,
    drafts.flatMap(({ invoiceId, draft }) => lineRows(draft, invoiceId)),
  );
}

/** An invoice row's fields that come from its draft (amounts as fixed-point strings). */
export function invoiceAmounts(draft: DraftInvoice) {
  const money = (amount: Decimal) => toMoneyString(amount, draft.currency);
  return {
    customer_id: draft.customer.id,
    currency: draft.currency,
    prices_include_tax: draft.priced.pricesIncludeTax,
    subtotal: money(draft.priced.subtotal),
    discount_total: money(draft.priced.discountTotal),
    tax_total: money(draft.priced.taxTotal),
    total: money(draft.priced.total),
    issue_date: draft.issueDate,
    due_date: draft.dueDate,
    exceptions: draft.exceptions,
    notes: [...(draft.notes ?? []), ...draft.priced.notes],
  };
}

const INVOICE_COLUMNS = [
  'id',
  'run_id',
  'origin',
  'period_start',
  'period_end',
  'status',
  'review_reasons',
  'approvals_required',
  'customer_id',
  'currency',
  'prices_include_tax',
  'subtotal',
  'discount_total',
  'tax_total',
  'total',
  'issue_date',
  'due_date',
  'exceptions',
  'notes',
] as const;

/** The draft's lines as invoice_lines rows. */
function lineRows(draft: DraftInvoice, invoiceId: string) {
  return draft.priced.lines.map((line, position) => {
    const source = draft.sources.get(line.key);
    return {
      invoice_id: invoiceId,
      position,
      description: line.description,
      subscription_id: source?.subscriptionId ?? null,
      component_code: source?.componentCode ?? null,
      metric: source?.metric ?? null,
      period_start: source?.periodStart ?? null,
      period_end: source?.periodEnd ?? null,
      quantity: line.quantity.toFixed(),
      unit_amount: line.unitAmount.toFixed(),
      amount: toMoneyString(line.amount, draft.currency),
      discount_amount: toMoneyString(line.discountAmount, draft.currency),
      tax_rate: line.taxRate.toFixed(),
      tax_amount: toMoneyString(line.taxAmount, draft.currency),
      gl_account_code: source?.glAccount ?? null,
      erp_item_code: source?.itemCode ?? null,
      tax_code: source?.taxCode ?? null,
      tracking: source?.tracking ?? {},
      calculation: line.working,
    };
  });
}

const LINE_COLUMNS = [
  'invoice_id',
  'position',
  'description',
  'subscription_id',
  'component_code',
  'metric',
  'period_start',
  'period_end',
  'quantity',
  'unit_amount',
  'amount',
  'discount_amount',
  'tax_rate',
  'tax_amount',
  'gl_account_code',
  'erp_item_code',
  'tax_code',
  'tracking',
  'calculation',
] as const;

function uniqueIndexRefusing(error: unknown) {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (code !== '23505' || typeof constraint !== 'string' || !(constraint in ONE_INVOICE_PER))
    return undefined;
  return ONE_INVOICE_PER[constraint as keyof typeof ONE_INVOICE_PER];
}
