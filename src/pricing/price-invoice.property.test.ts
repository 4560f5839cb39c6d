import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minorUnits } from '../money/currency.ts';
import { Decimal, sum } from '../money/decimal.ts';
import { isRoundedFor, roundMoney } from '../money/rounding.ts';
import { shareByLargestRemainder } from './discounts.ts';
import { priceInvoice } from './price-invoice.ts';
import type {
  ChargeInput,
  Discount,
  InvoiceDiscount,
  InvoiceInput,
  PriceModel,
  TaxTreatment,
  Tier,
} from './types.ts';

/** A Decimal from an integer count of 10^-scale units (never a float); negative when `signed`. */
const decimal = (maxUnits: bigint, maxScale: number, signed = false) =>
  fc
    .tuple(fc.bigInt({ min: signed ? -maxUnits : 0n, max: maxUnits }), fc.integer({ min: 0, max: maxScale }))
    .map(([units, scale]) => new Decimal(units.toString()).dividedBy(new Decimal(10).pow(scale)));

const currency = fc.constantFrom('JPY', 'USD', 'EUR', 'GBP', 'KWD', 'BHD');
const price = decimal(10n ** 6n, 6);
const tiers: fc.Arbitrary<Tier[]> = fc
  .array(fc.tuple(decimal(10n ** 5n, 2), price, price), { minLength: 1, maxLength: 4 })
  .map((bands) => {
    let upTo = new Decimal(0);
    return bands.map(([width, unitPrice, flatFee], index) => {
      upTo = upTo.plus(width).plus(1);
      return { upTo: index === bands.length - 1 ? null : upTo, unitPrice, flatFee };
    });
  });

/** A model and a quantity it accepts; per-unit and percentage quantities may be credits unless `nonNegative`. */
const pricedQuantity = (nonNegative: boolean): fc.Arbitrary<[PriceModel, Decimal]> => {
  const usage = decimal(10n ** 9n, 4);
  const signedUsage = nonNegative ? usage : decimal(10n ** 9n, 4, true);
  return fc.oneof(
    fc.tuple(
      price.map((amount): PriceModel => ({ kind: 'flat', amount })),
      usage,
    ),
    fc.tuple(
      price.map((unitPrice): PriceModel => ({ kind: 'per_unit', unitPrice })),
      signedUsage,
    ),
    fc.tuple(
      tiers.map((list): PriceModel => ({ kind: 'graduated', tiers: list })),
      usage,
    ),
    fc.tuple(
      tiers.map((list): PriceModel => ({ kind: 'volume', tiers: list })),
      usage,
    ),
    fc.tuple(
      fc
        .tuple(decimal(10n ** 4n, 2), price)
        .filter(([size]) => size.gt(0))
        .map(([packageSize, packagePrice]): PriceModel => ({ kind: 'package', packageSize, packagePrice })),
      usage,
    ),
    fc.tuple(
      decimal(10000n, 2).map((percent): PriceModel => ({ kind: 'percentage', percent })),
      signedUsage,
    ),
  );
};

/** 0% to 100%, in steps of 0.001%. */
const percentOff = fc
  .bigInt({ min: 0n, max: 100_000n })
  .map((n) => new Decimal(n.toString()).dividedBy(1000));
const discount: fc.Arbitrary<Discount> = fc.oneof(
  percentOff.map((percent): Discount => ({ kind: 'percent', percent })),
  decimal(10n ** 7n, 3).map((amount): Discount => ({ kind: 'amount', amount })),
);

const tax: fc.Arbitrary<TaxTreatment> = fc.oneof(
  decimal(30000n, 3).map((rate): TaxTreatment => ({
    kind: 'standard',
    rate,
    label: `Tax ${rate.toFixed()}%`,
  })),
  fc.constantFrom<TaxTreatment>(
    { kind: 'exempt', note: 'Exempt: education services' },
    { kind: 'reverse_charge', note: 'Reverse charge: customer to account for VAT' },
  ),
);

const proration = fc
  .integer({ min: 28, max: 31 })
  .chain((periodDays) =>
    fc.record({ activeDays: fc.integer({ min: 0, max: periodDays }), periodDays: fc.constant(periodDays) }),
  );

const charges = (nonNegative: boolean): fc.Arbitrary<ChargeInput[]> =>
  fc
    .array(
      fc.record(
        {
          modelAndQuantity: pricedQuantity(nonNegative),
          minimum: price,
          discount,
          proration,
          tax,
        },
        { requiredKeys: ['modelAndQuantity', 'tax'] },
      ),
      { maxLength: 6 },
    )
    .map((drafts) =>
      drafts.map(({ modelAndQuantity: [model, quantity], ...rest }, index) => ({
        key: `c${index}`,
        description: `Charge ${index}`,
        model,
        quantity,
        ...rest,
      })),
    );

const invoiceDiscounts = (keys: string[]): fc.Arbitrary<InvoiceDiscount[]> =>
  fc
    .array(fc.record({ discount, chargeKeys: fc.subarray(keys) }, { requiredKeys: ['discount'] }), {
      maxLength: 3,
    })
    .map((list) => list.map((entry, index) => ({ label: `Invoice discount ${index}`, ...entry })));

const invoice = (nonNegative = false): fc.Arbitrary<InvoiceInput> =>
  fc.tuple(currency, fc.boolean(), charges(nonNegative)).chain(([code, pricesIncludeTax, list]) =>
    invoiceDiscounts(list.map((entry) => entry.key)).map((discounts): InvoiceInput => ({
      currency: code,
      pricesIncludeTax,
      charges: list,
      invoiceDiscounts: discounts,
    })),
  );

describe('priceInvoice (properties)', () => {
  it('lines add up to the subtotal, discount, tax and total exactly', () => {
    fc.assert(
      fc.property(invoice(), (input) => {
        const priced = priceInvoice(input);
        const lines = priced.lines;
        expect(sum(lines.map((l) => l.amount)).equals(priced.subtotal)).toBe(true);
        expect(sum(lines.map((l) => l.discountAmount)).equals(priced.discountTotal)).toBe(true);
        expect(sum(lines.map((l) => l.taxAmount)).equals(priced.taxTotal)).toBe(true);
        expect(sum(lines.map((l) => l.totalAmount)).equals(priced.total)).toBe(true);
      }),
    );
  });

  it('totals subtotal − discount + tax when prices exclude tax, subtotal − discount when they include it', () => {
    fc.assert(
      fc.property(invoice(), (input) => {
        const priced = priceInvoice(input);
        const expected = priced.subtotal
          .minus(priced.discountTotal)
          .plus(input.pricesIncludeTax ? 0 : priced.taxTotal);
        expect(priced.total.toFixed()).toBe(expected.toFixed());
      }),
    );
  });

  it('never has more decimals than the currency allows in any amount', () => {
    fc.assert(
      fc.property(invoice(), (input) => {
        const priced = priceInvoice(input);
        const amounts = priced.lines.flatMap((l) => [
          l.amount,
          l.discountAmount,
          l.taxAmount,
          l.netAmount,
          l.totalAmount,
        ]);
        amounts.push(priced.subtotal, priced.discountTotal, priced.taxTotal, priced.total);
        for (const amount of amounts)
          expect(isRoundedFor(amount, input.currency), amount.toFixed()).toBe(true);
      }),
    );
  });

  it('never discounts a line by more than its amount, nor a credit line at all', () => {
    fc.assert(
      fc.property(invoice(), (input) => {
        for (const line of priceInvoice(input).lines) {
          expect(line.discountAmount.gte(0)).toBe(true);
          expect(line.discountAmount.lte(Decimal.max(line.amount, 0))).toBe(true);
        }
      }),
    );
  });

  it('shares out an invoice discount exactly: its shares add up to what it is worth', () => {
    fc.assert(
      fc.property(invoice(), discount, (input, extra) => {
        const label = 'Checked discount';
        const withExtra = {
          ...input,
          invoiceDiscounts: [...(input.invoiceDiscounts ?? []), { label, discount: extra }],
        };
        const priced = priceInvoice(withExtra);
        const shareOf = (entries: { label: string; amount: string }[]) =>
          sum(entries.filter((entry) => entry.label === label).map((entry) => new Decimal(entry.amount)));
        // What each line had left before this last discount: its amount less every earlier discount.
        const bases = priced.lines.map((line) =>
          line.amount.minus(line.discountAmount).plus(shareOf(line.working.discounts)),
        );
        const whole = sum(bases.filter((base) => base.gt(0)));
        const worth =
          extra.kind === 'percent'
            ? roundMoney(whole.times(extra.percent).dividedBy(100), input.currency)
            : Decimal.min(roundMoney(extra.amount, input.currency), whole);
        expect(sum(priced.lines.map((line) => shareOf(line.working.discounts))).toFixed()).toBe(
          worth.toFixed(),
        );
      }),
    );
  });

  it('never charges negative tax when no quantity, price or rate is negative', () => {
    fc.assert(
      fc.property(invoice(true), (input) => {
        const priced = priceInvoice(input);
        for (const line of priced.lines) expect(line.taxAmount.gte(0)).toBe(true);
        expect(priced.taxTotal.gte(0)).toBe(true);
      }),
    );
  });

  it('prints each exemption or reverse-charge note once, in line order', () => {
    fc.assert(
      fc.property(invoice(), (input) => {
        const notes = input.charges.flatMap((c) => (c.tax.kind === 'standard' ? [] : [c.tax.note]));
        const firstSeen = notes.filter((note, index) => notes.indexOf(note) === index);
        expect(priceInvoice(input).notes).toEqual(firstSeen);
      }),
    );
  });
});

describe('shareByLargestRemainder (properties)', () => {
  it('sums exactly, never exceeds a base, and is within one minor unit of the exact pro rata share', () => {
    fc.assert(
      fc.property(
        currency,
        fc.array(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), { minLength: 1, maxLength: 8 }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        (code, minorBases, wanted) => {
          const unit = new Decimal(10).pow(-minorUnits(code));
          const bases = minorBases.map((b) => unit.times(b.toString()));
          const whole = sum(bases.filter((b) => b.gt(0)));
          const total = Decimal.min(unit.times(wanted.toString()), whole);
          const shares = shareByLargestRemainder(total, bases, code);
          expect(sum(shares).equals(total)).toBe(true);
          shares.forEach((share, index) => {
            const base = bases[index] ?? new Decimal(0);
            expect(isRoundedFor(share, code)).toBe(true);
            expect(share.gte(0) && share.lte(Decimal.max(base, 0))).toBe(true);
            const exact = base.gt(0) ? total.times(base).dividedBy(whole) : new Decimal(0);
            expect(share.minus(exact).abs().lt(unit)).toBe(true);
          });
        },
      ),
    );
  });
});
