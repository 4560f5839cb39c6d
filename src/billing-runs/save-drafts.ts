import { randomUUID } from 'node:crypto';
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Decimal } from '../money/decimal.ts';
import { toMoneyString } from '../money/rounding.ts';
import type { BillingPeriod } from './billing-period.ts';
import type { DraftInvoice } from './draft-invoice.ts';

/**
 * Writes drafts and their lines in one statement: the rows travel as JSON documents that Postgres
 * expands (jsonb_to_recordset), far cheaper than thousands of parameters. Callers send batches.
 * NOTE: `on conflict … do nothing` on the one-invoice-per-customer-and-period index makes a race
 * with another run lose quietly: the customer is reported as already invoiced.
 */
export async function saveDrafts(
  trx: Transaction<Database>,
  runId: string,
  period: BillingPeriod,
  drafts: readonly DraftInvoice[],
): Promise<{ saved: Map<string, string>; lost: DraftInvoice[] }> {
  // NOTE: Postgres infers the partial unique index only when this predicate implies the index's own.
  const conflict = sql`(customer_id, period_start, period_end)
    where run_id is not null and status <> 'void' and origin is null`;
  return insertDrafts(trx, { runId, period, origin: null, conflict }, drafts);
}

/**
 * Writes a one-off order's draft, marked with the order's origin; undefined when a live invoice for
 * that origin already exists (a concurrent delivery of the same order won).
 */
export async function saveOneOffDraft(
  trx: Transaction<Database>,
  runId: string,
  period: BillingPeriod,
  draft: DraftInvoice,
  origin: string,
): Promise<string | undefined> {
  const conflict = sql`(origin) where status <> 'void'`;
  const { saved } = await insertDrafts(trx, { runId, period, origin, conflict }, [draft]);
  return saved.get(draft.customer.id);
}

async function insertDrafts(
  trx: Transaction<Database>,
  target: { runId: string; period: BillingPeriod; origin: string | null; conflict: RawBuilder<unknown> },
  drafts: readonly DraftInvoice[],
): Promise<{ saved: Map<string, string>; lost: DraftInvoice[] }> {
  if (drafts.length === 0) return { saved: new Map(), lost: [] };
  const { runId, period, origin } = target;
  const invoices = drafts.map((draft) => ({ id: randomUUID(), ...invoiceAmounts(draft) }));

  const ids = new Map(drafts.map((draft, index) => [draft.customer.id, invoices[index]?.id ?? '']));
  const lines = drafts.flatMap((draft) => lineRows(draft, ids.get(draft.customer.id) ?? ''));

  // One statement: lines are written only for the invoices that were (a lost race writes neither).
  const { rows } = await sql<{ id: string; customer_id: string }>`
    with saved as (
      insert into invoices (id, run_id, customer_id, currency, prices_include_tax, subtotal, discount_total,
        tax_total, total, period_start, period_end, issue_date, due_date, exceptions, notes, origin)
      select id, ${runId}::uuid, customer_id, currency, prices_include_tax, subtotal, discount_total, tax_total,
        total, ${period.start}::date, ${period.end}::date, issue_date, due_date, exceptions, notes, ${origin}::text
      from jsonb_to_recordset(${JSON.stringify(invoices)}::jsonb) as t (id uuid, customer_id uuid,
        currency text, prices_include_tax boolean, subtotal numeric, discount_total numeric, tax_total numeric,
        total numeric, issue_date date, due_date date, exceptions jsonb, notes jsonb)
      on conflict ${target.conflict} do nothing
      returning id, customer_id
    ), saved_lines as (
      ${insertLinesFrom(lines)}
      where t.invoice_id in (select id from saved)
    )
    select id, customer_id from saved
  `.execute(trx);

  const saved = new Map(rows.map((row) => [row.customer_id, row.id]));
  const lost = drafts.filter((draft) => !saved.has(draft.customer.id));
  return { saved, lost };
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

/** The draft's lines as invoice_lines rows. */
export function lineRows(draft: DraftInvoice, invoiceId: string) {
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

/** `insert into invoice_lines … select … from <rows as JSON>`; callers may add a where on `t`. */
export function insertLinesFrom(lines: ReturnType<typeof lineRows>) {
  return sql`insert into invoice_lines (invoice_id, position, description, subscription_id, component_code, metric,
      period_start, period_end, quantity, unit_amount, amount, discount_amount, tax_rate, tax_amount,
      gl_account_code, erp_item_code, tax_code, tracking, calculation)
    select t.* from jsonb_to_recordset(${JSON.stringify(lines)}::jsonb) as t (invoice_id uuid, position int,
      description text, subscription_id uuid, component_code text, metric text, period_start date,
      period_end date, quantity numeric, unit_amount numeric, amount numeric, discount_amount numeric,
      tax_rate numeric, tax_amount numeric, gl_account_code text, erp_item_code text, tax_code text,
      tracking jsonb, calculation jsonb)`;
}
