import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { toMoneyString } from '../money/rounding.ts';
import type { BillingPeriod } from './billing-period.ts';
import type { DraftInvoice } from './draft-invoice.ts';

const LINES_PER_STATEMENT = 5_000;

/**
 * Writes a run's drafts and their lines with one statement per table (arrays through unnest).
 * NOTE: `on conflict … do nothing` on the one-invoice-per-customer-and-period index makes a race
 * with another run lose quietly: the customer is reported as already invoiced. Returns the saved.
 */
export async function saveDrafts(
  trx: Transaction<Database>,
  runId: string,
  period: BillingPeriod,
  drafts: readonly DraftInvoice[],
): Promise<{ saved: Map<string, string>; lost: DraftInvoice[] }> {
  if (drafts.length === 0) return { saved: new Map(), lost: [] };
  const ids = drafts.map(() => randomUUID());
  const money = (pick: (draft: DraftInvoice) => Parameters<typeof toMoneyString>[0]) =>
    drafts.map((draft) => toMoneyString(pick(draft), draft.currency));

  const { rows } = await sql<{ id: string; customer_id: string }>`
    insert into invoices (id, run_id, customer_id, currency, prices_include_tax, subtotal, discount_total,
      tax_total, total, period_start, period_end, issue_date, due_date, exceptions, notes)
    select id, ${runId}::uuid, customer_id, currency, prices_include_tax, subtotal, discount_total, tax_total,
      total, ${period.start}::date, ${period.end}::date, issue_date, due_date, exceptions::jsonb, notes::jsonb
    from unnest(
      ${ids}::uuid[], ${drafts.map((draft) => draft.customer.id)}::uuid[], ${drafts.map((draft) => draft.currency)}::text[],
      ${drafts.map((draft) => draft.priced.pricesIncludeTax)}::boolean[],
      ${money((draft) => draft.priced.subtotal)}::numeric[], ${money((draft) => draft.priced.discountTotal)}::numeric[],
      ${money((draft) => draft.priced.taxTotal)}::numeric[], ${money((draft) => draft.priced.total)}::numeric[],
      ${drafts.map((draft) => draft.issueDate)}::date[], ${drafts.map((draft) => draft.dueDate)}::date[],
      ${drafts.map((draft) => JSON.stringify(draft.exceptions))}::text[],
      ${drafts.map((draft) => JSON.stringify(draft.priced.notes))}::text[]
    ) as t (id, customer_id, currency, prices_include_tax, subtotal, discount_total, tax_total, total,
      issue_date, due_date, exceptions, notes)
    on conflict (customer_id, period_start, period_end) where run_id is not null and status <> 'void' do nothing
    returning id, customer_id
  `.execute(trx);

  const saved = new Map(rows.map((row) => [row.customer_id, row.id]));
  const lost = drafts.filter((draft) => !saved.has(draft.customer.id));
  const lines = drafts.flatMap((draft) => {
    const invoiceId = saved.get(draft.customer.id);
    if (invoiceId === undefined) return [];
    return draft.priced.lines.map((line, position) => {
      const source = draft.sources.get(line.key);
      return {
        invoiceId,
        position,
        description: line.description,
        subscriptionId: source?.subscriptionId ?? null,
        componentCode: source?.component.code ?? null,
        metric: source?.component.metric ?? null,
        periodStart: source?.periodStart ?? null,
        periodEnd: source?.periodEnd ?? null,
        quantity: line.quantity.toFixed(),
        unitAmount: line.unitAmount.toFixed(),
        amount: toMoneyString(line.amount, draft.currency),
        discountAmount: toMoneyString(line.discountAmount, draft.currency),
        taxRate: line.taxRate.toFixed(),
        taxAmount: toMoneyString(line.taxAmount, draft.currency),
        glAccount: source?.component.glAccount ?? null,
        itemCode: source?.component.itemCode ?? null,
        taxCode: source?.taxCode ?? null,
        tracking: JSON.stringify(source?.component.tracking ?? {}),
        calculation: JSON.stringify(line.working),
      };
    });
  });

  for (let offset = 0; offset < lines.length; offset += LINES_PER_STATEMENT) {
    const chunk = lines.slice(offset, offset + LINES_PER_STATEMENT);
    const column = <K extends keyof (typeof chunk)[number]>(key: K) => chunk.map((line) => line[key]);
    await sql`
      insert into invoice_lines (invoice_id, position, description, subscription_id, component_code, metric,
        period_start, period_end, quantity, unit_amount, amount, discount_amount, tax_rate, tax_amount,
        gl_account_code, erp_item_code, tax_code, tracking, calculation)
      select invoice_id, position, description, subscription_id, component_code, metric, period_start,
        period_end, quantity, unit_amount, amount, discount_amount, tax_rate, tax_amount, gl_account_code,
        erp_item_code, tax_code, tracking::jsonb, calculation::jsonb
      from unnest(
        ${column('invoiceId')}::uuid[], ${column('position')}::int[], ${column('description')}::text[],
        ${column('subscriptionId')}::uuid[], ${column('componentCode')}::text[], ${column('metric')}::text[],
        ${column('periodStart')}::date[], ${column('periodEnd')}::date[], ${column('quantity')}::numeric[],
        ${column('unitAmount')}::numeric[], ${column('amount')}::numeric[], ${column('discountAmount')}::numeric[],
        ${column('taxRate')}::numeric[], ${column('taxAmount')}::numeric[], ${column('glAccount')}::text[],
        ${column('itemCode')}::text[], ${column('taxCode')}::text[], ${column('tracking')}::text[],
        ${column('calculation')}::text[]
      ) as t (invoice_id, position, description, subscription_id, component_code, metric, period_start,
        period_end, quantity, unit_amount, amount, discount_amount, tax_rate, tax_amount, gl_account_code,
        erp_item_code, tax_code, tracking, calculation)
    `.execute(trx);
  }
  return { saved, lost };
}
