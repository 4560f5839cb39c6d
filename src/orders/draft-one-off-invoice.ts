import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { decideDraft, loadApprovalFacts } from '../approval/draft-decisions.ts';
import type { BillingConfig } from '../billing-config/billing-config.ts';
import { periodLabel, type BillingPeriod } from '../calendar/billing-period.ts';
import type { BillingException } from '../billing-runs/billing-exception.ts';
import {
  customerToBill,
  dueDateUnderTerms,
  flagAmountsBeyondBounds,
  flagMissingRecipient,
  flagNegativeTotal,
  flagUnlistedCurrency,
  taxTreatmentFor,
  type CustomerToBill,
  type DraftInvoice,
  type LineSource,
} from '../billing-runs/draft-invoice.ts';
import { finishDraftedRun } from '../billing-runs/finish-drafted-run.ts';
import { describeSavedScope } from '../billing-config/run-scope.ts';
import { summarizeDraft, totalsByCurrency } from '../billing-runs/run-summary.ts';
import { DraftAlreadyWritten, writeDrafts } from '../billing-runs/write-drafts.ts';
import { addDays, todayIn } from '../calendar/calendar-date.ts';
import type { Db } from '../db/database.ts';
import type { Deps } from '../ports/deps.ts';
import { Decimal } from '../money/decimal.ts';
import { priceInvoice } from '../pricing/price-invoice.ts';
import type { ChargeInput } from '../pricing/types.ts';
import type { OneOffOrder } from '../queue/one-off-order.ts';

export type DraftOneOffInvoiceResult =
  | { code: 'drafted'; runId: string; invoiceId: string }
  | { code: 'existing'; runId: string }
  | { code: 'unknown_customer' | 'ambiguous_customer'; message: string };

/**
 * Drafts one invoice for an order's lines as a billing run of one invoice, decided by the same
 * approval policy as every run. An origin is drafted once: asking again returns its run, whoever asks.
 */
export async function draftOneOffInvoice(
  deps: Pick<Deps, 'db' | 'billing' | 'clock'>,
  order: OneOffOrder,
): Promise<DraftOneOffInvoiceResult> {
  const existing = await runForOrigin(deps.db, order.origin);
  if (existing !== undefined) return { code: 'existing', runId: existing };
  const found = await findOrderCustomer(deps.db, order);
  if (found.code !== 'found') return found;

  const day = todayIn(deps.billing.timezone, new Date(order.orderedAt));
  const end = addDays(day, 1);
  const period: BillingPeriod = { start: day, end, label: periodLabel(day, end) };
  const issueDate = todayIn(deps.billing.timezone, deps.clock.now());
  const draft = draftOrder(deps.billing, found.customer, order, issueDate);
  const facts = await loadApprovalFacts(deps.db, [found.customer.id], 'one_off');
  const decided = {
    invoiceId: randomUUID(),
    draft,
    decision: decideDraft(
      deps.billing.approval,
      { currency: draft.currency, total: draft.priced.total, blocked: draft.exceptions.length > 0 },
      facts.get(found.customer.id) ?? { customerOnHold: false, previousTotal: null },
    ),
  };
  const scope = { customers: [found.customer.externalId], order: order.label, origin: order.origin };

  const outcome = await deps.db
    .transaction()
    .execute(async (trx) => {
      const created = await trx
        .insertInto('billing_runs')
        .values({
          trigger: 'webhook',
          trigger_key: order.origin,
          period_start: period.start,
          period_end: period.end,
          scope,
          started_by: order.startedBy,
          counts: {},
          totals: {},
        })
        // NOTE: a concurrent delivery's insert makes ours wait for its commit, then conflict: theirs is the run.
        .onConflict((conflict) => conflict.columns(['trigger_key', 'period_start', 'period_end']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (created === undefined) return 'lost' as const;
      // Another delivery of the order (with another date) may have drafted it first: that undoes our run.
      await writeDrafts(trx, { runId: created.id, period, origin: order.origin }, [decided]);
      const { invoiceId } = decided;
      const summary = summarizeDraft(draft, invoiceId);
      await finishDraftedRun(
        trx,
        deps,
        {
          id: created.id,
          trigger: 'webhook',
          period: { start: period.start, end: period.end },
          scope: describeSavedScope(scope),
          status: 'awaiting_approval',
          startedBy: order.startedBy,
          createdAt: deps.clock.now(),
          counts: {
            customers: 1,
            drafted: 1,
            withExceptions: draft.exceptions.length > 0 ? 1 : 0,
            nothingToBill: 0,
            alreadyInvoiced: 0,
          },
          totals: totalsByCurrency([summary]),
          invoices: [summary],
        },
        [decided],
        period.label,
      );
      return { code: 'drafted', runId: created.id, invoiceId } as const;
    })
    .catch((error: unknown) => {
      if (error instanceof DraftAlreadyWritten) return 'lost' as const;
      throw error;
    });
  if (outcome !== 'lost') return outcome;
  const theirs = await runForOrigin(deps.db, order.origin);
  if (theirs === undefined) throw new Error(`The run for ${order.origin} disappeared`);
  return { code: 'existing', runId: theirs };
}

/** The run of the order's invoice (the live one if any, else the latest voided one). */
async function runForOrigin(db: Db, origin: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('invoices')
    .select('run_id')
    .where('origin', '=', origin)
    .orderBy(sql`status = 'void'`)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.run_id ?? undefined;
}

type FoundCustomer =
  | { code: 'found'; customer: CustomerToBill }
  | { code: 'unknown_customer' | 'ambiguous_customer'; message: string };

/** By the order's customer id, else by an address on exactly one customer's invoice emails. */
async function findOrderCustomer(db: Db, order: OneOffOrder): Promise<FoundCustomer> {
  const { externalId, email } = order.customer;
  const customers = db
    .selectFrom('customers')
    .select(['id', 'external_id', 'name', 'currency', 'email_to', 'payment_terms', 'tax_profile', 'tax_id']);
  if (externalId !== undefined) {
    const row = await customers.where('external_id', '=', externalId).executeTakeFirst();
    if (row !== undefined) return { code: 'found', customer: customerToBill(row) };
  }
  const rows =
    email === undefined
      ? []
      : await customers
          .where(
            sql<boolean>`exists (select 1 from unnest(email_to) as address where lower(address) = lower(${email}))`,
          )
          .orderBy('external_id')
          .limit(6)
          .execute();
  const [only, ...others] = rows;
  if (only !== undefined && others.length === 0) return { code: 'found', customer: customerToBill(only) };
  if (only !== undefined) {
    const ids = rows.slice(0, 5).map((row) => `"${row.external_id}"`);
    return {
      code: 'ambiguous_customer',
      message: `${order.label}: ${rows.length > 5 ? 'more than 5' : String(rows.length)} customers have the invoice email ${email ?? ''} (${ids.join(', ')}); keep the address on one customer only${externalId === undefined ? '' : `, or give the right one the id "${externalId}"`}`,
    };
  }
  const tried = [
    ...(externalId === undefined ? [] : [`the id "${externalId}"`]),
    ...(email === undefined ? [] : [`the invoice email ${email}`]),
  ];
  return {
    code: 'unknown_customer',
    message:
      tried.length === 0
        ? `${order.label} names no customer id or email, so billops cannot tell whom to invoice`
        : `${order.label}: no customer has ${tried.join(' or ')}${order.customer.name === undefined ? '' : ` (${order.customer.name})`}; import the customer, or add the address to an existing customer's email_to`,
  };
}

/** Prices the order's lines (per unit, each line's discount an amount off) and flags what it cannot book. */
function draftOrder(
  billing: BillingConfig,
  customer: CustomerToBill,
  order: OneOffOrder,
  issueDate: string,
): DraftInvoice {
  const exceptions: BillingException[] = [];
  const flag = (code: BillingException['code'], message: string) => exceptions.push({ code, message });

  flagMissingRecipient(customer, flag);
  flagUnlistedCurrency(billing, order.currency, `${order.label} is in`, flag);
  if (order.currency !== customer.currency) {
    flag(
      'currency_mismatch',
      `${order.label} is in ${order.currency} but ${customer.name} is billed in ${customer.currency}; check the order's currency or the customer's`,
    );
  }
  // An order's invoice is priced from the order, which is not kept: /invoice review cannot re-draft it.
  const tax = taxTreatmentFor(billing, customer, flag, undefined);
  const { glAccount, itemCode } = order.mapping;
  if (glAccount === undefined && itemCode === undefined) {
    flag(
      'unmapped_item',
      `${order.label} has no gl_account or item_code for its lines, so the ERP cannot book them`,
    );
  }

  const charges: ChargeInput[] = [];
  const sources = new Map<string, LineSource>();
  for (const [index, line] of order.lines.entries()) {
    const key = `line:${String(index + 1)}`;
    const discount = line.discount === undefined ? undefined : new Decimal(line.discount);
    charges.push({
      key,
      description: line.description,
      model: { kind: 'per_unit', unitPrice: new Decimal(line.unitPrice) },
      quantity: new Decimal(line.quantity),
      ...(discount === undefined || discount.isZero()
        ? {}
        : { discount: { kind: 'amount', amount: discount } }),
      tax: tax.treatment,
    });
    sources.set(key, {
      subscriptionId: null,
      componentCode: null,
      metric: null,
      periodStart: null,
      periodEnd: null,
      glAccount,
      itemCode,
      taxCode: tax.erpTaxType,
      tracking: {},
    });
  }
  const priced = priceInvoice({
    currency: order.currency,
    pricesIncludeTax: order.pricesIncludeTax,
    charges,
  });
  flagNegativeTotal(priced, flag);
  flagAmountsBeyondBounds(priced, flag);
  return {
    customer,
    currency: order.currency,
    issueDate,
    dueDate: dueDateUnderTerms(billing, customer, issueDate, flag),
    priced,
    sources,
    exceptions,
    notes: [order.label],
  };
}
