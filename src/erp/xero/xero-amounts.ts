import { Decimal, parseDecimal } from '../../money/decimal.ts';
import { toMoneyString } from '../../money/rounding.ts';

// How amounts cross to xero-node without float drift.
//
// xero-node types Quantity, UnitAmount, LineAmount and DiscountAmount as `number` and JSON-serialises
// them, so a number must be built. A decimal string with at most 15 significant digits converts to the
// double nearest to it, and JSON.stringify writes the shortest decimal that reads back as that same
// double (ECMA-262 Number::toString): the original digits. So "12.50" → 12.5 → "12.5" on the wire,
// and "0.0025" → "0.0025". Anything longer is refused instead of rounded, and every conversion is
// checked by reading the number back. Amounts coming back from Xero go the same way in reverse:
// String(number) gives the digits Xero sent, and toMoneyString fixes them to the currency's decimals.

const MAX_EXACT_DIGITS = 15;

/** The JSON number carrying exactly this decimal string, or undefined if no double carries it. */
export function toXeroNumber(textValue: string): number | undefined {
  const value = parseDecimal(textValue);
  if (value === undefined || value.sd(false) > MAX_EXACT_DIGITS) return undefined;
  const number = Number(value.toString());
  return Number.isFinite(number) && new Decimal(String(number)).equals(value) ? number : undefined;
}

/** An amount Xero returned, as our fixed-point string in the invoice currency ("120.00", "1200"). */
export function fromXeroAmount(amount: number | undefined, currency: string): string | undefined {
  if (amount === undefined || !Number.isFinite(amount)) return undefined;
  return toMoneyString(new Decimal(String(amount)), currency);
}
