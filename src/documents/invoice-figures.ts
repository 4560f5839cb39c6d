// How the figures of an invoice read on its PDF. Amounts arrive as exact decimal strings.
import { minorUnits, type CurrencyCode } from '../money/currency.ts';
import { Decimal } from '../money/decimal.ts';
import { formatMoney } from '../money/format-money.ts';
import { isRoundedFor } from '../money/rounding.ts';

// NOTE: Intl.NumberFormat on Node 20 accepts at most 20 fraction digits.
const MAX_FRACTION_DIGITS = 20;

// NOTE: building an Intl.NumberFormat costs far more than formatting with one, and an invoice repeats
// the same figures on every line; both caches are bounded for a long-running app.
const CACHE_LIMIT = 10_000;
const amounts = new Map<string, string>();
const numberFormats = new Map<string, Intl.NumberFormat>();

/** "£1,234.50", "JP¥1,200", "KWD 1.250": an amount in the invoice currency. */
export function formatAmount(amount: string, currency: CurrencyCode): string {
  const key = `${currency} ${amount}`;
  let formatted = amounts.get(key);
  if (formatted === undefined) {
    if (amounts.size > CACHE_LIMIT) amounts.clear();
    formatted = formatMoney(new Decimal(amount), currency);
    amounts.set(key, formatted);
  }
  return formatted;
}

/** A discount shown as money taken off: "-£5.00". */
export function formatDeduction(amount: string, currency: CurrencyCode): string {
  return formatMoney(new Decimal(amount).negated(), currency);
}

/** A unit price keeps every digit it has beyond the minor unit: "£0.000125" per API call, else "£1.50". */
export function formatUnitPrice(amount: string, currency: CurrencyCode): string {
  const value = new Decimal(amount);
  if (isRoundedFor(value, currency)) return formatAmount(amount, currency);
  const minimum = minorUnits(currency);
  const digits = Math.min(MAX_FRACTION_DIGITS, Math.max(minimum, value.decimalPlaces()));
  const format = numberFormat(currency, minimum, digits);
  return format.format(value.toFixed(digits) as `${number}`);
}

/** "1,250", "0.5", "12.125": a quantity with every digit it has and no trailing zeros. */
export function formatQuantity(quantity: string): string {
  const value = new Decimal(quantity);
  const digits = Math.min(MAX_FRACTION_DIGITS, value.decimalPlaces());
  return numberFormat(undefined, 0, digits).format(value.toFixed(digits) as `${number}`);
}

function numberFormat(
  currency: CurrencyCode | undefined,
  minimum: number,
  maximum: number,
): Intl.NumberFormat {
  const key = `${currency ?? ''} ${minimum} ${maximum}`;
  let format = numberFormats.get(key);
  if (format === undefined) {
    if (numberFormats.size > CACHE_LIMIT) numberFormats.clear();
    format = new Intl.NumberFormat('en-GB', {
      ...(currency === undefined ? {} : { style: 'currency', currency }),
      minimumFractionDigits: minimum,
      maximumFractionDigits: maximum,
    });
    numberFormats.set(key, format);
  }
  return format;
}

/** "20%", "5.5%", "0%". */
export function formatTaxRate(rate: string): string {
  return `${new Decimal(rate).toFixed()}%`;
}

/** True when the decimal string is not zero ("0", "0.00", "-0"). */
export function isNonZero(amount: string): boolean {
  return !new Decimal(amount).isZero();
}
