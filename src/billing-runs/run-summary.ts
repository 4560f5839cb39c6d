import type { PolicyCounts } from '../approval/draft-decisions.ts';
import type { BillingRunStatus, BillingRunTrigger } from '../db/schema.ts';
import { Decimal } from '../money/decimal.ts';
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

/** A run's totals in one currency as they add up, exact until they are written out. */
interface RunningTotals {
  invoices: number;
  subtotal: Decimal;
  discount: Decimal;
  tax: Decimal;
  total: Decimal;
}

/**
 * Totals per currency, added one invoice at a time (a run adds each draft as it is priced, so nothing
 * is summed in one long stretch at the end). Amounts in different currencies are never added together.
 */
export function currencyTotals() {
  const running = new Map<string, RunningTotals>();
  return {
    add(currency: string, amounts: Omit<RunningTotals, 'invoices'>): void {
      const sums = running.get(currency);
      if (sums === undefined) {
        running.set(currency, { invoices: 1, ...amounts });
        return;
      }
      sums.invoices += 1;
      sums.subtotal = sums.subtotal.plus(amounts.subtotal);
      sums.discount = sums.discount.plus(amounts.discount);
      sums.tax = sums.tax.plus(amounts.tax);
      sums.total = sums.total.plus(amounts.total);
    },
    result(): Record<string, CurrencyTotals> {
      const totals: Record<string, CurrencyTotals> = {};
      for (const [currency, sums] of [...running.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        const money = (amount: Decimal) => toMoneyString(amount, currency);
        totals[currency] = {
          invoices: sums.invoices,
          subtotal: money(sums.subtotal),
          discount: money(sums.discount),
          tax: money(sums.tax),
          total: money(sums.total),
        };
      }
      return totals;
    },
  };
}

/** The totals of these summaries, per currency. */
export function totalsByCurrency(invoices: readonly DraftSummary[]): Record<string, CurrencyTotals> {
  const totals = currencyTotals();
  for (const invoice of invoices) {
    totals.add(invoice.currency, {
      subtotal: new Decimal(invoice.subtotal),
      discount: new Decimal(invoice.discount),
      tax: new Decimal(invoice.tax),
      total: new Decimal(invoice.total),
    });
  }
  return totals.result();
}
