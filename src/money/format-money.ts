import { minorUnits, type CurrencyCode } from './currency.ts';
import type { Decimal } from './decimal.ts';

/** "£1,234.50", "¥1,200", "KWD 1.250": for people (Slack, PDF, CLI), never for storage. */
export function formatMoney(amount: Decimal, currency: CurrencyCode, locale = 'en-GB'): string {
  const digits = minorUnits(currency);
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // NOTE: a string keeps every digit; Intl formats decimal strings exactly (no float on the way).
  return format.format(amount.toFixed(digits) as `${number}`);
}
