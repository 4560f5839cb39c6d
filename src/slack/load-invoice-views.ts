import type {
  HeldInvoiceRow,
  InvoiceBalanceView,
  InvoiceDetailsView,
  InvoiceShowView,
  ReasonView,
  ReviewPageView,
} from '../../blocks/view-models.ts';
import type { BillingException } from '../billing-runs/billing-exception.ts';
import { periodLabel } from '../calendar/billing-period.ts';
import type { Db } from '../db/database.ts';
import { Decimal } from '../money/decimal.ts';
import { outstandingOf, refundDueOf } from '../money/outstanding.ts';
import { toMoneyString } from '../money/rounding.ts';
import type { LineWorking } from '../pricing/types.ts';
import { currentApprovals } from '../approval/current-approvals.ts';

// Read models for the modals and command replies: the database as the blocks/ view models want it.

const label = (start: string | null, end: string | null) =>
  start === null || end === null ? '' : periodLabel(start, end);

const exceptionViews = (exceptions: unknown): ReasonView[] =>
  (exceptions as BillingException[]).map((exception) => ({ code: exception.code, text: exception.message }));

/** Every line of an invoice with its calculation working, for the Details modal. */
export async function loadInvoiceDetails(db: Db, invoiceId: string): Promise<InvoiceDetailsView | undefined> {
  const invoice = await db
    .selectFrom('invoices')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select([
      'invoices.id',
      'invoices.currency',
      'invoices.period_start',
      'invoices.period_end',
      'invoices.subtotal',
      'invoices.discount_total',
      'invoices.tax_total',
      'invoices.total',
      'invoices.notes',
      'customers.name',
    ])
    .where('invoices.id', '=', invoiceId)
    .executeTakeFirst();
  if (invoice === undefined) return undefined;
  const lines = await db
    .selectFrom('invoice_lines')
    .select([
      'description',
      'quantity',
      'unit_amount',
      'amount',
      'discount_amount',
      'tax_amount',
      'calculation',
    ])
    .where('invoice_id', '=', invoiceId)
    .orderBy('position')
    .execute();
  return {
    invoiceId: invoice.id,
    customerName: invoice.name,
    currency: invoice.currency,
    periodLabel: label(invoice.period_start, invoice.period_end),
    subtotal: invoice.subtotal,
    discount: invoice.discount_total,
    tax: invoice.tax_total,
    total: invoice.total,
    notes: (invoice.notes as unknown[]).map(String),
    lines: lines.map((line) => ({
      description: line.description,
      quantity: line.quantity,
      unitAmount: line.unit_amount,
      amount: line.amount,
      discountAmount: line.discount_amount,
      taxAmount: line.tax_amount,
      working: line.calculation as unknown as LineWorking,
    })),
  };
}

/** One page of a run's held invoices (waiting for review, or blocked by exceptions), largest first. */
export async function loadReviewPage(
  db: Db,
  runId: string,
  page: number,
  pageSize: number,
): Promise<ReviewPageView | undefined> {
  const run = await db
    .selectFrom('billing_runs')
    .select(['id', 'period_start', 'period_end'])
    .where('id', '=', runId)
    .executeTakeFirst();
  if (run === undefined) return undefined;
  const held = db
    .selectFrom('invoices')
    .where('run_id', '=', runId)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'pending_approval'),
        eb.and([eb('status', '=', 'draft'), eb(eb.fn('jsonb_array_length', ['exceptions']), '>', 0)]),
      ]),
    );
  const { count } = await held.select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  const totalHeld = Number(count);
  const pageCount = Math.max(1, Math.ceil(totalHeld / pageSize));
  const current = Math.min(Math.max(0, page), pageCount - 1);
  const rows = await held
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select([
      'invoices.id',
      'invoices.version',
      'invoices.currency',
      'invoices.total',
      'invoices.review_reasons',
      'invoices.exceptions',
      'customers.name',
      'customers.external_id',
    ])
    .orderBy('invoices.total', 'desc')
    .orderBy('customers.external_id')
    .offset(current * pageSize)
    .limit(pageSize)
    .execute();
  return {
    runId,
    periodLabel: label(run.period_start, run.period_end),
    page: current,
    pageCount,
    totalHeld,
    invoices: rows.map((row): HeldInvoiceRow => {
      const exceptions = exceptionViews(row.exceptions);
      return {
        invoiceId: row.id,
        version: row.version,
        customerName: row.name,
        currency: row.currency,
        total: row.total,
        reasons: [...exceptions, ...(row.review_reasons as unknown as ReasonView[])],
        blocked: exceptions.length > 0,
      };
    }),
  };
}

/** `/invoice show`: an invoice by number, or a customer's latest invoice by the customer's id. */
export async function loadInvoiceShow(db: Db, reference: string): Promise<InvoiceShowView | undefined> {
  const invoice = await db
    .selectFrom('invoices')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select([
      'invoices.id',
      'invoices.number',
      'invoices.status',
      'invoices.currency',
      'invoices.total',
      'invoices.amount_paid',
      'invoices.amount_credited',
      'invoices.due_date',
      'invoices.period_start',
      'invoices.period_end',
      'invoices.review_reasons',
      'invoices.exceptions',
      'customers.name',
    ])
    .where((eb) =>
      eb.or([eb('invoices.number', '=', reference), eb('customers.external_id', '=', reference)]),
    )
    .orderBy('invoices.created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (invoice === undefined) return undefined;
  const { history } = await currentApprovals(db, invoice.id);
  return {
    invoiceId: invoice.id,
    number: invoice.number,
    status: invoice.status,
    customerName: invoice.name,
    currency: invoice.currency,
    total: invoice.total,
    dueDate: invoice.due_date,
    periodLabel: label(invoice.period_start, invoice.period_end),
    reasons: invoice.review_reasons as unknown as ReasonView[],
    exceptions: exceptionViews(invoice.exceptions),
    history: history.map((row) => ({
      what: row.decision,
      userId: row.slack_user_id,
      at: row.decided_at,
      reason: row.reason,
    })),
    balance: invoice.number === null ? null : await loadInvoiceBalance(db, invoice),
  };
}

/** A finalized invoice's payments and credit notes, oldest first, and what they leave owed. */
async function loadInvoiceBalance(
  db: Db,
  invoice: { id: string; currency: string; total: string; amount_paid: string; amount_credited: string },
): Promise<InvoiceBalanceView> {
  const payments = await db
    .selectFrom('payments')
    .select([
      'paid_on',
      'amount',
      'source',
      'recorded_by',
      'external_id',
      'matched_source',
      'matched_external_id',
    ])
    .where('invoice_id', '=', invoice.id)
    .orderBy('paid_on')
    .orderBy('created_at')
    .execute();
  const creditNotes = await db
    .selectFrom('credit_notes')
    .select(['number', 'issue_date', 'amount', 'reason'])
    .where('invoice_id', '=', invoice.id)
    .orderBy('issued_at')
    .execute();
  const money = (amount: Decimal) => toMoneyString(amount, invoice.currency);
  return {
    paid: money(new Decimal(invoice.amount_paid)),
    credited: money(new Decimal(invoice.amount_credited)),
    outstanding: money(outstandingOf(invoice)),
    refundDue: money(refundDueOf(invoice)),
    payments: payments.map((payment) => ({
      paidOn: payment.paid_on,
      amount: money(new Decimal(payment.amount)),
      source: payment.source,
      recordedBy: payment.recorded_by,
      reference: payment.external_id ?? payment.matched_external_id,
      matchedSource: payment.matched_source,
    })),
    creditNotes: creditNotes.map((note) => ({
      number: note.number,
      issueDate: note.issue_date,
      amount: money(new Decimal(note.amount)),
      reason: note.reason,
    })),
  };
}
