import { minorUnits, type CurrencyCode } from './currency.ts';
import { Decimal } from './decimal.ts';

/**
 * THE rounding rule, the only place amounts are rounded: to the currency's minor unit, half away
 * from zero (2.345 → 2.35, −2.345 → −2.35, JPY 12.5 → 13). Pricing rounds once per line (the line
 * amount, its discount and its tax each once); invoice totals are sums of rounded lines, so they
 * never need rounding themselves. Unit prices are never rounded.
 */
export function roundMoney(amount: Decimal, currency: CurrencyCode): Decimal {
  return amount.toDecimalPlaces(minorUnits(currency), Decimal.ROUND_HALF_UP);
}

/** True when the amount has no more decimals than the currency's minor unit allows. */
export function isRoundedFor(amount: Decimal, currency: CurrencyCode): boolean {
  return amount.decimalPlaces() <= minorUnits(currency);
}

/** Fixed-point string with exactly the currency's decimals ("12.50", "1200", "1.250"): for storage and ERPs. */
export function toMoneyString(amount: Decimal, currency: CurrencyCode): string {
  return roundMoney(amount, currency).toFixed(minorUnits(currency));
}
