import type { CurrencyCode } from '../money/currency.ts';
import { Decimal, ZERO } from '../money/decimal.ts';
import { roundMoney } from '../money/rounding.ts';
import type { LineWorking, TaxTreatment } from './types.ts';

export interface LineTax {
  taxRate: Decimal;
  /** What tax is charged on: the discounted amount, less the tax backed out of it when prices include tax. */
  netAmount: Decimal;
  taxAmount: Decimal;
  /** netAmount + taxAmount. */
  totalAmount: Decimal;
}

const HUNDRED = new Decimal(100);

/**
 * Tax on one line after its discounts. `discounted` (amount − discount) is net when prices exclude tax
 * and gross when they include it; the tax is rounded once either way.
 */
export function taxLine(
  discounted: Decimal,
  treatment: TaxTreatment,
  pricesIncludeTax: boolean,
  currency: CurrencyCode,
): LineTax {
  if (treatment.kind !== 'standard') {
    return { taxRate: ZERO, netAmount: discounted, taxAmount: ZERO, totalAmount: discounted };
  }
  const rate = treatment.rate;
  if (rate.lt(0)) throw new RangeError(`tax rate must not be negative, got ${rate.toFixed()}`);
  if (pricesIncludeTax) {
    // Backed out of the gross: 120.00 at 20% holds 120 × 20/120 = 20.00, not 120 × 20% = 24.00.
    const taxAmount = roundMoney(discounted.times(rate).dividedBy(HUNDRED.plus(rate)), currency);
    return { taxRate: rate, netAmount: discounted.minus(taxAmount), taxAmount, totalAmount: discounted };
  }
  const taxAmount = roundMoney(discounted.times(rate).dividedBy(HUNDRED), currency);
  return { taxRate: rate, netAmount: discounted, taxAmount, totalAmount: discounted.plus(taxAmount) };
}

/** The tax part of a line's working. */
export function taxWorking(treatment: TaxTreatment, pricesIncludeTax: boolean): LineWorking['tax'] {
  return treatment.kind === 'standard'
    ? {
        kind: 'standard',
        rate: treatment.rate.toFixed(),
        label: treatment.label,
        inclusive: pricesIncludeTax,
      }
    : { kind: treatment.kind, note: treatment.note };
}
