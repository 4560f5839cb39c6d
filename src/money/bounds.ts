import { minorUnits, type CurrencyCode } from './currency.ts';
import { Decimal } from './decimal.ts';

// THE bounds on every number billops accepts from people and systems (billing.yml, imports, the usage
// API, one-off orders) and on every line it drafts. One place, so the README's "Limits and validation"
// table, the config check, the imports and the drafting all say the same thing.
//
// Which rule applies to what:
// - a QUANTITY (usage, tier bounds, package sizes, order line quantities): at most 12 decimal places,
//   at most 15 digits before the point. Negative quantities (usage corrections) are allowed.
// - a UNIT PRICE (per-unit and tier unit prices, package prices, order line unit prices): at most 12
//   decimal places, whatever the currency (0.0015 per API call is a real price), at most 12 digits
//   before the point.
// - an AMOUNT (flat fees, tier flat fees, minimums, discount amounts, approval and reminder thresholds,
//   order line discounts, and every priced line and invoice total): at most the currency's minor units
//   (JPY 0, USD 2, KWD 3), at most 12 digits before the point.
// - a RATE (tax rates, discount percentages, percentage prices): 0 to 100 percent, at most 12 decimal
//   places.
//
// NOTE: Stripe, for comparison: unit_amount_decimal has "at most 12 decimal places"; its largest price
// is in IDR, 999,999,999,998.999999999999 (12 digits before the point); a charge's `amount` has at most
// 8 digits in minor units (99999999 = $999,999.99). billops bills businesses in VND and IDR too, where
// 8 digits is a few thousand dollars, so amounts get Stripe's 12-digit price bound instead. 12 digits
// plus 3 minor units is 15 significant digits: still exact as a JSON number (a double), which is how the
// ERP SDKs send amounts.

/** Digits after the point in a quantity, unit price or rate (Stripe's unit_amount_decimal allows 12). */
export const MAX_DECIMAL_PLACES = 12;

/** The largest quantity: 15 digits (a petabyte counted in bytes is 10^15). */
export const MAX_QUANTITY = new Decimal('999999999999999');

/** The largest unit price: 12 digits before the point, as Stripe's largest (IDR) price. */
export const MAX_UNIT_PRICE = new Decimal('999999999999.999999999999');

/** The largest amount, typed or drafted (a line, a discount, a tax, an invoice total): 12 digits before the point. */
export const MAX_AMOUNT = new Decimal('999999999999.999');

const HUNDRED = new Decimal(100);

/** MAX_AMOUNT as the currency writes it: 999,999,999,999.99 in USD, 999,999,999,999 in JPY. */
export function maxAmountIn(currency: CurrencyCode): Decimal {
  return MAX_AMOUNT.toDecimalPlaces(minorUnits(currency), Decimal.ROUND_DOWN);
}

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 999999999999999 → "999,999,999,999,999" (integers only; the bounds' whole parts). */
function grouped(value: Decimal): string {
  return GROUPED.format(value.truncated().toFixed() as `${number}`);
}

function decimalPlacesProblem(value: Decimal, what: string): string | undefined {
  if (value.decimalPlaces() <= MAX_DECIMAL_PLACES) return undefined;
  return `has ${places(value.decimalPlaces())}; ${what} may have at most ${MAX_DECIMAL_PLACES}, so round it`;
}

function places(count: number): string {
  return count === 1 ? '1 decimal place' : `${count} decimal places`;
}

function magnitudeProblem(value: Decimal, max: Decimal, what: string): string | undefined {
  if (value.abs().lessThanOrEqualTo(max)) return undefined;
  return (
    `is beyond ${grouped(max)}, the largest ${what} billops accepts; check the figure ` +
    '(a unit mix-up, or digits pasted twice?)'
  );
}

/**
 * What is wrong with a quantity, as the end of a sentence about it ("…, which has 14 decimal places; …"),
 * or undefined when it is within bounds.
 */
export function quantityProblem(value: Decimal): string | undefined {
  return decimalPlacesProblem(value, 'a quantity') ?? magnitudeProblem(value, MAX_QUANTITY, 'quantity');
}

/** A unit price: up to 12 decimal places in any currency (per-unit prices are finer than the minor unit). */
export function unitPriceProblem(value: Decimal): string | undefined {
  return decimalPlacesProblem(value, 'a unit price') ?? magnitudeProblem(value, MAX_UNIT_PRICE, 'unit price');
}

/**
 * An amount of money in `currency`: no finer than its minor unit (JPY 5000.5 is refused, not rounded).
 * Without a currency (it is not known yet where the value is read) only the 12-decimal rule applies; the
 * caller checks the minor units once the currency is known.
 */
export function amountProblem(value: Decimal, currency?: CurrencyCode): string | undefined {
  if (currency !== undefined) {
    const digits = minorUnits(currency);
    if (value.decimalPlaces() > digits) {
      const allowed = digits === 0 ? 'none' : `at most ${digits}`;
      return (
        `has ${places(value.decimalPlaces())}, but ${currency} amounts have ${allowed} ` +
        `(its minor unit); write a whole number of minor units, such as ${value.toFixed(digits)}`
      );
    }
  } else {
    const problem = decimalPlacesProblem(value, 'an amount');
    if (problem !== undefined) return problem;
  }
  return magnitudeProblem(value, MAX_AMOUNT, 'amount');
}

/** A percentage: a tax rate, a discount percentage, a percentage price. 0 to 100; 20 means 20%. */
export function rateProblem(value: Decimal): string | undefined {
  if (value.isNegative() || value.greaterThan(HUNDRED)) {
    return 'is not between 0 and 100; write the rate in percent, such as 20 for 20%';
  }
  return decimalPlacesProblem(value, 'a rate');
}

/**
 * A warning for a rate that is allowed but probably meant as a fraction: 0.2 where 20 was meant. Zero is
 * a real rate (zero-rated goods), so it is not warned about.
 */
export function rateLooksLikeFraction(value: Decimal): boolean {
  return value.greaterThan(0) && value.lessThan(1);
}
