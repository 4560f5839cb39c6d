import { minorUnits, type CurrencyCode } from '../money/currency.ts';
import { Decimal, ZERO, sum } from '../money/decimal.ts';
import { isRoundedFor, roundMoney, toMoneyString } from '../money/rounding.ts';
import type { Discount } from './types.ts';

const HUNDRED = new Decimal(100);

/** How a discount reads on the working: "10% off", "5.00 off". */
export function discountLabel(discount: Discount, currency: CurrencyCode): string {
  return discount.kind === 'percent'
    ? `${discount.percent.toFixed()}% off`
    : `${toMoneyString(discount.amount, currency)} off`;
}

/** A line's own discount on its rounded amount: never more than the amount, nothing on a credit or zero line. */
export function lineDiscountAmount(
  amount: Decimal,
  discount: Discount | undefined,
  currency: CurrencyCode,
): Decimal {
  if (discount === undefined) return ZERO;
  assertDiscount(discount);
  if (!amount.gt(0)) return ZERO;
  if (discount.kind === 'percent')
    return roundMoney(amount.times(discount.percent).dividedBy(HUNDRED), currency);
  // A fixed discount finer than the currency (5.555 USD) is rounded like any other amount.
  return Decimal.min(roundMoney(discount.amount, currency), amount);
}

/**
 * An invoice discount over the bases (amount − discount so far) of the lines it applies to: the total
 * from the positive bases, shared out pro rata in whole minor units. One share per base, 0 for bases ≤ 0.
 */
export function allocateInvoiceDiscount(
  discount: Discount,
  bases: readonly Decimal[],
  currency: CurrencyCode,
): Decimal[] {
  assertDiscount(discount);
  const whole = sum(bases.filter((base) => base.gt(0)));
  const total =
    discount.kind === 'percent'
      ? roundMoney(whole.times(discount.percent).dividedBy(HUNDRED), currency)
      : Decimal.min(roundMoney(discount.amount, currency), whole);
  return shareByLargestRemainder(total, bases, currency);
}

/**
 * Shares `total` across the positive bases pro rata, in whole minor units, by the largest-remainder
 * method (ties go to the earlier line): the shares sum to `total` exactly and none exceeds its base.
 */
export function shareByLargestRemainder(
  total: Decimal,
  bases: readonly Decimal[],
  currency: CurrencyCode,
): Decimal[] {
  const scale = new Decimal(10).pow(minorUnits(currency));
  const toMinor = (amount: Decimal): bigint => {
    if (!isRoundedFor(amount, currency)) {
      throw new RangeError(`${amount.toFixed()} has more decimals than ${currency} allows`);
    }
    return BigInt(amount.times(scale).toFixed());
  };
  // NOTE: bigint minor units, so target × weight is exact however large the invoice.
  const weights = bases.map((base) => (base.gt(0) ? toMinor(base) : 0n));
  const whole = weights.reduce((acc, weight) => acc + weight, 0n);
  const target = toMinor(total);
  if (target < 0n || target > whole) {
    throw new RangeError(`cannot share ${total.toFixed()} over bases totalling less than it`);
  }
  if (whole === 0n) return bases.map(() => ZERO);

  const parts = weights.map((weight, index) => ({
    index,
    share: (target * weight) / whole,
    remainder: (target * weight) % whole,
  }));
  let leftover = target - parts.reduce((acc, part) => acc + part.share, 0n);
  const byRemainder = [...parts].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const part of byRemainder) {
    if (leftover === 0n) break;
    part.share += 1n;
    leftover -= 1n;
  }
  return parts.map((part) => new Decimal(part.share.toString()).dividedBy(scale));
}

function assertDiscount(discount: Discount): void {
  if (discount.kind === 'percent' && (discount.percent.lt(0) || discount.percent.gt(HUNDRED))) {
    throw new RangeError(`a percent discount must be between 0 and 100, got ${discount.percent.toFixed()}`);
  }
  if (discount.kind === 'amount' && discount.amount.lt(0)) {
    throw new RangeError(`a discount amount must not be negative, got ${discount.amount.toFixed()}`);
  }
}
