import type { PolicyCounts } from '../approval/draft-decisions.ts';
import type { BillingRunStatus, BillingRunTrigger } from '../db/schema.ts';
import { Decimal, sum } from '../money/decimal.ts';
import { toMoneyString } from '../money/rounding.ts';
import type { BillingException } from './billing-exception.ts';
import type { DraftInvoice } from './draft-invoice.ts';

/** One draft as people see it in a summary; amounts are fixed-point strings. */
export interface DraftSummary {
  invoiceId: string | null;
  customerExternalId: string;
  customerName: string;
  currency: string;
  lineCount: number;
  subtotal: string;
  discount: string;
  tax: string;
  total: string;
  dueDate: string;
  exceptions: BillingException[];
}

export interface CurrencyTotals {
  invoices: number;
  subtotal: string;
  discount: string;
  tax: string;
  total: string;
}

export interface RunCounts {
  /** Customers with a subscription or usage in the period (within scope). */
  customers: number;
  drafted: number;
  withExceptions: number;
  nothingToBill: number;
  alreadyInvoiced: number;
}

export interface RunSummary {
  /** Null for a dry run, which saves nothing. */
  id: string | null;
  trigger: BillingRunTrigger;
  period: { start: string; end: string };
  scope: string;
  status: BillingRunStatus;
  startedBy: string;
  createdAt: Date;
  counts: RunCounts;
  totals: Record<string, CurrencyTotals>;
  invoices: DraftSummary[];
  /** What the approval policy decided; absent for dry runs, which decide nothing. */
  policy?: PolicyCounts;
}

export function summarizeDraft(draft: DraftInvoice, invoiceId: string | null): DraftSummary {
  const money = (amount: Decimal) => toMoneyString(amount, draft.currency);
  return {
    invoiceId,
    customerExternalId: draft.customer.externalId,
    customerName: draft.customer.name,
    currency: draft.currency,
    lineCount: draft.priced.lines.length,
    subtotal: money(draft.priced.subtotal),
    discount: money(draft.priced.discountTotal),
    tax: money(draft.priced.taxTotal),
    total: money(draft.priced.total),
    dueDate: draft.dueDate,
    exceptions: draft.exceptions,
  };
}

/** Totals per currency: amounts in different currencies are never added together. */
export function totalsByCurrency(invoices: readonly DraftSummary[]): Record<string, CurrencyTotals> {
  // NOTE: Map.groupBy needs Node 21; billops runs on 20.
  const groups = new Map<string, DraftSummary[]>();
  for (const invoice of invoices) {
    const group = groups.get(invoice.currency);
    if (group === undefined) groups.set(invoice.currency, [invoice]);
    else group.push(invoice);
  }
  const totals: Record<string, CurrencyTotals> = {};
  for (const [currency, group] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const add = (pick: (invoice: DraftSummary) => string) =>
      toMoneyString(sum(group.map((invoice) => new Decimal(pick(invoice)))), currency);
    totals[currency] = {
      invoices: group.length,
      subtotal: add((invoice) => invoice.subtotal),
      discount: add((invoice) => invoice.discount),
      tax: add((invoice) => invoice.tax),
      total: add((invoice) => invoice.total),
    };
  }
  return totals;
}
