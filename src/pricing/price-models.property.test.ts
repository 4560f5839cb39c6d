import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../money/decimal.ts';
import { priceCharge } from './price-charge.ts';
import { priceModel } from './price-models.ts';
import type { PriceModel, PriceModelKind, Tier } from './types.ts';

/** A non-negative Decimal with up to `maxScale` decimals, built from an integer (never a float). */
const decimal = (maxUnits: bigint, maxScale: number) =>
  fc
    .tuple(fc.bigInt({ min: 0n, max: maxUnits }), fc.integer({ min: 0, max: maxScale }))
    .map(([units, scale]) => new Decimal(units.toString()).dividedBy(new Decimal(10).pow(scale)));

// Mostly quantities of the size tier limits have, so that many pairs straddle a tier boundary.
const quantity = fc.oneof(decimal(10n ** 6n, 2), decimal(10n ** 9n, 4), decimal(10n ** 15n, 0));
const price = decimal(10n ** 6n, 6);
/** A second, larger quantity: often just past the first, where a tier boundary bites. */
const increase = fc.oneof(decimal(100n, 2), quantity);

/** Tier limits rising strictly from 0 and unit prices in the given order, the last tier open. */
function tiers(options: { prices: 'falling' | 'rising' | 'any'; fees: boolean }): fc.Arbitrary<Tier[]> {
  return fc.integer({ min: 1, max: 5 }).chain((count) =>
    fc
      .tuple(
        fc.array(decimal(10n ** 5n, 2), { minLength: count - 1, maxLength: count - 1 }),
        fc.array(price, { minLength: count, maxLength: count }),
        fc.array(options.fees ? price : fc.constant(new Decimal(0)), { minLength: count, maxLength: count }),
      )
      .map(([steps, prices, fees]) => {
        const sortedPrices =
          options.prices === 'any'
            ? prices
            : [...prices].sort((a, b) => (options.prices === 'rising' ? a.comparedTo(b) : b.comparedTo(a)));
        const sortedFees = options.prices === 'rising' ? [...fees].sort((a, b) => a.comparedTo(b)) : fees;
        let upTo = new Decimal(0);
        return sortedPrices.map((unitPrice, index) => {
          const step = steps[index];
          upTo = step === undefined ? upTo : upTo.plus(step).plus('0.01');
          return {
            upTo: step === undefined ? null : upTo,
            unitPrice,
            flatFee: sortedFees[index] ?? new Decimal(0),
          };
        });
      }),
  );
}

/** Each model with non-negative prices; volume tiers rise in price, since a falling volume price is not monotone. */
const models: Record<PriceModelKind, fc.Arbitrary<PriceModel>> = {
  flat: price.map((amount) => ({ kind: 'flat', amount })),
  per_unit: price.map((unitPrice) => ({ kind: 'per_unit', unitPrice })),
  graduated: tiers({ prices: 'any', fees: true }).map((list) => ({ kind: 'graduated', tiers: list })),
  volume: tiers({ prices: 'rising', fees: true }).map((list) => ({ kind: 'volume', tiers: list })),
  package: fc
    .tuple(decimal(10n ** 6n, 2), price)
    .filter(([size]) => size.gt(0))
    .map(([packageSize, packagePrice]) => ({ kind: 'package', packageSize, packagePrice })),
  percentage: decimal(10000n, 2).map((percent) => ({ kind: 'percentage', percent })),
};
const kinds = Object.keys(models) as PriceModelKind[];

describe('price models (properties)', () => {
  it.each(kinds)('%s never charges less for more: the amount is non-decreasing in quantity', (kind) => {
    fc.assert(
      fc.property(models[kind], quantity, increase, (model, low, more) => {
        const high = low.plus(more);
        expect(priceModel(model, low).exactAmount.lte(priceModel(model, high).exactAmount)).toBe(true);
      }),
    );
  });

  it.each(kinds)('%s stays non-decreasing once rounded and topped up to a minimum', (kind) => {
    fc.assert(
      fc.property(
        models[kind],
        quantity,
        increase,
        fc.option(price, { nil: undefined }),
        fc.constantFrom('JPY', 'USD', 'KWD'),
        (model, low, more, minimum, currency) => {
          const high = low.plus(more);
          const line = (q: Decimal) =>
            priceCharge(
              { key: 'k', description: 'd', model, quantity: q, minimum, tax: { kind: 'exempt', note: 'n' } },
              currency,
            ).amount;
          expect(line(low).lte(line(high))).toBe(true);
        },
      ),
    );
  });

  it('graduated costs at least volume when tier prices fall and there are no flat fees', () => {
    fc.assert(
      fc.property(tiers({ prices: 'falling', fees: false }), quantity, (list, q) => {
        const graduated = priceModel({ kind: 'graduated', tiers: list }, q).exactAmount;
        const volume = priceModel({ kind: 'volume', tiers: list }, q).exactAmount;
        expect(volume.lte(graduated)).toBe(true);
      }),
    );
  });

  it('graduated costs at most volume when tier prices rise and there are no flat fees', () => {
    fc.assert(
      fc.property(tiers({ prices: 'rising', fees: false }), quantity, (list, q) => {
        const graduated = priceModel({ kind: 'graduated', tiers: list }, q).exactAmount;
        const volume = priceModel({ kind: 'volume', tiers: list }, q).exactAmount;
        expect(graduated.lte(volume)).toBe(true);
      }),
    );
  });

  it('graduated puts every unit in exactly one tier: the step quantities add up to the quantity', () => {
    fc.assert(
      fc.property(tiers({ prices: 'any', fees: true }), quantity, (list, q) => {
        const { steps } = priceModel({ kind: 'graduated', tiers: list }, q);
        const units = steps.reduce((total, step) => total.plus(step.quantity), new Decimal(0));
        expect(units.toFixed()).toBe(q.toFixed());
      }),
    );
  });
});
