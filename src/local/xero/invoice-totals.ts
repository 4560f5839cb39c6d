import { Decimal, sum } from '../../money/decimal.ts';
import type { LineAmountType } from './org-books.ts';

// How Xero arrives at an invoice's amounts: each line's amount and tax rounded to 2 decimals (line-level
// tax rounding, Xero's default), and the totals summed from the rounded lines.

const HUNDRED = new Decimal(100);

/** Xero keeps amounts to 2 decimals, rounding half away from zero. */
export function roundAmount(value: Decimal): Decimal {
  return value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

export interface LineFigures {
  quantity: Decimal;
  unitAmount: Decimal;
  /** An amount off the line (DiscountAmount), or a percentage (DiscountRate); never both. */
  discount: { kind: 'amount'; amount: Decimal } | { kind: 'rate'; percent: Decimal } | undefined;
}

/** Quantity × unit amount less the discount, rounded: what Xero shows as the LineAmount. */
export function expectedLineAmount(figures: LineFigures): Decimal {
  const gross = figures.quantity.times(figures.unitAmount);
  if (figures.discount === undefined) return roundAmount(gross);
  if (figures.discount.kind === 'amount') return roundAmount(gross).minus(figures.discount.amount);
  return roundAmount(gross.times(HUNDRED.minus(figures.discount.percent)).dividedBy(HUNDRED));
}

/** Tax on one line: added on top (Exclusive), backed out of the amount (Inclusive), or none. */
export function lineTax(lineAmount: Decimal, ratePercent: Decimal, types: LineAmountType): Decimal {
  if (types === 'NoTax') return new Decimal(0);
  if (types === 'Inclusive')
    return roundAmount(lineAmount.times(ratePercent).dividedBy(HUNDRED.plus(ratePercent)));
  return roundAmount(lineAmount.times(ratePercent).dividedBy(HUNDRED));
}

export interface InvoiceTotals {
  subTotal: Decimal;
  totalTax: Decimal;
  total: Decimal;
}

/** SubTotal excludes tax either way; Total is what the customer owes. */
export function invoiceTotals(
  lines: readonly { lineAmount: Decimal; taxAmount: Decimal }[],
  types: LineAmountType,
): InvoiceTotals {
  const amounts = sum(lines.map((line) => line.lineAmount));
  const totalTax = sum(lines.map((line) => line.taxAmount));
  if (types === 'Inclusive') return { subTotal: amounts.minus(totalTax), totalTax, total: amounts };
  return { subTotal: amounts, totalTax, total: amounts.plus(totalTax) };
}
