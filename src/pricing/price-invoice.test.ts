import { describe, expect, it } from 'vitest';
import { Decimal } from '../money/decimal.ts';
import { isRoundedFor, toMoneyString } from '../money/rounding.ts';
import { priceInvoice } from './price-invoice.ts';
import type {
  ChargeInput,
  Discount,
  InvoiceInput,
  PricedInvoice,
  PriceModel,
  TaxTreatment,
} from './types.ts';

const d = (value: string) => new Decimal(value);
const vat = (rate: string): TaxTreatment => ({ kind: 'standard', rate: d(rate), label: `VAT ${rate}%` });
const reverseCharge: TaxTreatment = {
  kind: 'reverse_charge',
  note: 'Reverse charge: customer to account for VAT',
};
const exempt = (note: string): TaxTreatment => ({ kind: 'exempt', note });
const percent = (value: string): Discount => ({ kind: 'percent', percent: d(value) });
const fixed = (value: string): Discount => ({ kind: 'amount', amount: d(value) });
const flat = (amount: string): PriceModel => ({ kind: 'flat', amount: d(amount) });
const perUnit = (unitPrice: string): PriceModel => ({ kind: 'per_unit', unitPrice: d(unitPrice) });

function charge(
  key: string,
  model: PriceModel,
  quantity: string,
  tax: TaxTreatment,
  discount?: Discount,
): ChargeInput {
  return {
    key,
    description: `Charge ${key}`,
    model,
    quantity: d(quantity),
    tax,
    ...(discount && { discount }),
  };
}

const money = (amount: Decimal, currency: string) =>
  isRoundedFor(amount, currency) ? toMoneyString(amount, currency) : `unrounded ${amount.toFixed()}`;

/** Every figure as the currency writes it: [key, amount, discount, net, tax, total] per line, then the totals. */
function summary(invoice: PricedInvoice) {
  const m = (amount: Decimal) => money(amount, invoice.currency);
  return {
    lines: invoice.lines.map((line) => [
      line.key,
      m(line.amount),
      m(line.discountAmount),
      m(line.netAmount),
      m(line.taxAmount),
      m(line.totalAmount),
    ]),
    totals: [m(invoice.subtotal), m(invoice.discountTotal), m(invoice.taxTotal), m(invoice.total)],
    notes: invoice.notes,
  };
}

describe('priceInvoice', () => {
  it.each<[string, InvoiceInput, ReturnType<typeof summary>]>([
    [
      'a line discount, then an invoice discount pro rata, then 20% VAT added',
      {
        currency: 'USD',
        pricesIncludeTax: false,
        charges: [
          charge('a', perUnit('10.00'), '10', vat('20'), percent('10')),
          charge('b', flat('50.00'), '1', vat('20')),
        ],
        invoiceDiscounts: [{ label: 'Partner', discount: fixed('14.00') }],
      },
      {
        lines: [
          ['a', '100.00', '19.00', '81.00', '16.20', '97.20'],
          ['b', '50.00', '5.00', '45.00', '9.00', '54.00'],
        ],
        totals: ['150.00', '24.00', '25.20', '151.20'],
        notes: [],
      },
    ],
    [
      '10.00 off three equal lines is 3.34, 3.33, 3.33; each note printed once',
      {
        currency: 'USD',
        pricesIncludeTax: false,
        charges: [
          charge('a', flat('10.00'), '1', reverseCharge),
          charge('b', flat('10.00'), '1', reverseCharge),
          charge('c', flat('10.00'), '1', exempt('Exempt: education services')),
        ],
        invoiceDiscounts: [{ label: 'Goodwill', discount: fixed('10.00') }],
      },
      {
        lines: [
          ['a', '10.00', '3.34', '6.66', '0.00', '6.66'],
          ['b', '10.00', '3.33', '6.67', '0.00', '6.67'],
          ['c', '10.00', '3.33', '6.67', '0.00', '6.67'],
        ],
        totals: ['30.00', '10.00', '0.00', '20.00'],
        notes: ['Reverse charge: customer to account for VAT', 'Exempt: education services'],
      },
    ],
    [
      'prices including 20% VAT: tax backed out of each line',
      {
        currency: 'GBP',
        pricesIncludeTax: true,
        charges: [charge('a', flat('120.00'), '1', vat('20')), charge('b', perUnit('10.00'), '1', vat('20'))],
      },
      {
        lines: [
          ['a', '120.00', '0.00', '100.00', '20.00', '120.00'],
          ['b', '10.00', '0.00', '8.33', '1.67', '10.00'],
        ],
        totals: ['130.00', '0.00', '21.67', '130.00'],
        notes: [],
      },
    ],
    [
      'prices including tax, after a fixed discount',
      {
        currency: 'GBP',
        pricesIncludeTax: true,
        charges: [charge('a', flat('120.00'), '1', vat('20'), fixed('20.00'))],
      },
      {
        lines: [['a', '120.00', '20.00', '83.33', '16.67', '100.00']],
        totals: ['120.00', '20.00', '16.67', '100.00'],
        notes: [],
      },
    ],
    [
      '¥1,000 including 10% holds ¥91 of tax',
      { currency: 'JPY', pricesIncludeTax: true, charges: [charge('a', flat('1000'), '1', vat('10'))] },
      { lines: [['a', '1000', '0', '909', '91', '1000']], totals: ['1000', '0', '91', '1000'], notes: [] },
    ],
    [
      'invoice discounts apply in order, each to what the last one left',
      {
        currency: 'USD',
        pricesIncludeTax: false,
        charges: [
          charge('a', flat('60.00'), '1', exempt('Exempt: charity')),
          charge('b', flat('40.00'), '1', exempt('Exempt: charity')),
        ],
        invoiceDiscounts: [
          { label: 'Launch', discount: percent('50'), chargeKeys: ['a'] },
          { label: 'Loyalty', discount: fixed('10.00') },
        ],
      },
      {
        lines: [
          ['a', '60.00', '34.29', '25.71', '0.00', '25.71'],
          ['b', '40.00', '5.71', '34.29', '0.00', '34.29'],
        ],
        totals: ['100.00', '40.00', '0.00', '60.00'],
        notes: ['Exempt: charity'],
      },
    ],
    [
      'a credit line takes no discount and carries negative tax',
      {
        currency: 'EUR',
        pricesIncludeTax: false,
        charges: [
          charge('credit', perUnit('10.00'), '-2', vat('20'), percent('10')),
          charge('usage', perUnit('100.00'), '1', vat('20')),
        ],
        invoiceDiscounts: [{ label: 'Spring', discount: percent('10') }],
      },
      {
        lines: [
          ['credit', '-20.00', '0.00', '-20.00', '-4.00', '-24.00'],
          ['usage', '100.00', '10.00', '90.00', '18.00', '108.00'],
        ],
        totals: ['80.00', '10.00', '14.00', '84.00'],
        notes: [],
      },
    ],
    [
      'dinars: amount, discount and tax each rounded once to three decimals',
      {
        currency: 'KWD',
        pricesIncludeTax: false,
        charges: [charge('a', perUnit('0.3335'), '3', vat('5'), percent('10'))],
      },
      {
        lines: [['a', '1.001', '0.100', '0.901', '0.045', '0.946']],
        totals: ['1.001', '0.100', '0.045', '0.946'],
        notes: [],
      },
    ],
    [
      'an empty invoice is all zeros',
      { currency: 'USD', pricesIncludeTax: false, charges: [] },
      { lines: [], totals: ['0.00', '0.00', '0.00', '0.00'], notes: [] },
    ],
  ])('%s', (_name, input, expected) => {
    expect(summary(priceInvoice(input))).toEqual(expected);
  });

  it('carries the key, description, quantity and unit amount, and the full working of each line', () => {
    const invoice = priceInvoice({
      currency: 'USD',
      pricesIncludeTax: false,
      charges: [charge('api', perUnit('0.002'), '12000', vat('20'), percent('10'))],
      invoiceDiscounts: [{ label: 'Partner', discount: fixed('1.00') }],
    });
    const [line] = invoice.lines;
    expect(line?.key).toBe('api');
    expect(line?.description).toBe('Charge api');
    expect(line?.quantity.toFixed()).toBe('12000');
    expect(line?.unitAmount.toFixed()).toBe('0.002');
    expect(line?.taxRate.toFixed()).toBe('20');
    expect(line?.working).toEqual({
      model: 'per_unit',
      quantity: '12000',
      steps: [{ label: 'Per unit', quantity: '12000', unitPrice: '0.002', flatFee: '0', amount: '24' }],
      exactAmount: '24',
      discounts: [
        { label: '10% off', amount: '2.40' },
        { label: 'Partner', amount: '1.00' },
      ],
      tax: { kind: 'standard', rate: '20', label: 'VAT 20%', inclusive: false },
    });
    expect(JSON.parse(JSON.stringify(line?.working))).toEqual(line?.working);
  });

  it('refuses two charges with the same key', () => {
    const line = charge('a', flat('1.00'), '1', vat('20'));
    expect(() => priceInvoice({ currency: 'USD', pricesIncludeTax: false, charges: [line, line] })).toThrow(
      'charge key "a" appears twice on the invoice',
    );
  });

  it('refuses an invoice discount for a charge that is not on the invoice', () => {
    expect(() =>
      priceInvoice({
        currency: 'USD',
        pricesIncludeTax: false,
        charges: [charge('a', flat('1.00'), '1', vat('20'))],
        invoiceDiscounts: [{ label: 'Promo', discount: percent('5'), chargeKeys: ['b'] }],
      }),
    ).toThrow(RangeError);
  });

  it('refuses a negative quantity on a tiered charge', () => {
    const tiers = [{ upTo: null, unitPrice: d('1'), flatFee: d('0') }];
    expect(() =>
      priceInvoice({
        currency: 'USD',
        pricesIncludeTax: false,
        charges: [charge('a', { kind: 'graduated', tiers }, '-1', vat('20'))],
      }),
    ).toThrow(RangeError);
  });
});
