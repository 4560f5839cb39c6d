import { maxAmountIn } from '../money/bounds.ts';
import type { Decimal } from '../money/decimal.ts';
import { formatMoney } from '../money/format-money.ts';
import type { PricedInvoice } from './types.ts';

/**
 * Amounts of a priced invoice beyond MAX_AMOUNT (see money/bounds.ts): a line, its discount or tax, or
 * the total. Huge usage times a real price gets here, not at the input checks; drafting flags each one
 * so the invoice cannot be approved as it is. One message per line at most, naming it.
 */
export function amountsBeyondBounds(priced: PricedInvoice): string[] {
  const { currency } = priced;
  const max = maxAmountIn(currency);
  const beyond = (value: Decimal) => value.abs().greaterThan(max);
  const problems: string[] = [];
  for (const line of priced.lines) {
    const figures: [string, Decimal][] = [
      ['amount', line.amount],
      ['discount', line.discountAmount],
      ['tax', line.taxAmount],
      ['total', line.totalAmount],
    ];
    const found = figures.find(([, value]) => beyond(value));
    if (found === undefined) continue;
    const [name, value] = found;
    problems.push(
      `${line.description}: the line's ${name} comes to ${formatMoney(value, currency)} ` +
        `(quantity ${line.quantity.toFixed()}), beyond ${formatMoney(max, currency)}, the largest ` +
        'amount billops drafts; check the usage or the price behind it',
    );
  }
  if (problems.length === 0 && (beyond(priced.total) || beyond(priced.subtotal))) {
    const value = beyond(priced.total) ? priced.total : priced.subtotal;
    problems.push(
      `The invoice comes to ${formatMoney(value, currency)}, beyond ${formatMoney(max, currency)}, ` +
        'the largest amount billops drafts; check the usage and prices on it, or bill it in parts',
    );
  }
  return problems;
}
