import { Decimal as DecimalJs } from 'decimal.js';

// NOTE: import Decimal from here, never from 'decimal.js' (lint enforces it): this clone carries the
// precision every amount in billops is computed with. 60 significant digits keep huge quantities
// times long unit prices exact; division (inclusive tax, proration) is exact to far below a minor unit.
export const Decimal = DecimalJs.clone({
  precision: 60,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -60,
  toExpPos: 60,
});
export type Decimal = DecimalJs;

/** Something an amount can be built from without losing exactness: never a float computed in JS. */
export type DecimalInput = Decimal | string;

export const ZERO = new Decimal(0);

export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
}

/** Parses an exact decimal string ("12.50", "-3", "0.000125"); undefined if it is not one. */
export function parseDecimal(text: string): Decimal | undefined {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) return undefined;
  return new Decimal(trimmed);
}
