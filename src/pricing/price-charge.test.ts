import { describe, expect, it } from 'vitest';
import { Decimal } from '../money/decimal.ts';
import { isRoundedFor, toMoneyString } from '../money/rounding.ts';
import { priceCharge } from './price-charge.ts';
import type { ChargeInput, PriceModel, Proration, Tier } from './types.ts';

const d = (value: string) => new Decimal(value);
const tier = (upTo: string | null, unitPrice: string, flatFee = '0'): Tier => ({
  upTo: upTo === null ? null : d(upTo),
  unitPrice: d(unitPrice),
  flatFee: d(flatFee),
});
const money = (amount: Decimal, currency: string) =>
  isRoundedFor(amount, currency) ? toMoneyString(amount, currency) : `unrounded ${amount.toFixed()}`;

const apiCalls: PriceModel = {
  kind: 'graduated',
  tiers: [tier('10000', '0'), tier('50000', '0.002'), tier(null, '0.001')],
};
const storage: PriceModel = {
  kind: 'graduated',
  tiers: [tier('10', '0.50', '5'), tier('100', '0.25', '10'), tier(null, '0.10')],
};
const seats: PriceModel = {
  kind: 'volume',
  tiers: [tier('100', '1.00'), tier('1000', '0.80', '20'), tier(null, '0.50', '50')],
};
const perUnit = (unitPrice: string): PriceModel => ({ kind: 'per_unit', unitPrice: d(unitPrice) });
const flat = (amount: string): PriceModel => ({ kind: 'flat', amount: d(amount) });
const days = (activeDays: number, periodDays: number): Proration => ({ activeDays, periodDays });

interface ChargeSetup {
  model: PriceModel;
  quantity?: string;
  minimum?: string;
  proration?: Proration;
}

function charge({ model, quantity = '0', minimum, proration }: ChargeSetup): ChargeInput {
  return {
    key: 'line-1',
    description: 'Charge',
    model,
    quantity: d(quantity),
    ...(minimum !== undefined && { minimum: d(minimum) }),
    ...(proration !== undefined && { proration }),
    tax: { kind: 'exempt', note: 'Exempt' },
  };
}

describe('priceCharge', () => {
  it.each<[string, string, ChargeSetup, amount: string, exact: string, unitAmount: string]>([
    [
      '¥100.5 rounds half away from zero to ¥101',
      'JPY',
      { model: perUnit('33.5'), quantity: '3' },
      '101',
      '100.5',
      '33.5',
    ],
    [
      '1.005 rounds half away from zero to 1.01',
      'USD',
      { model: perUnit('0.335'), quantity: '3' },
      '1.01',
      '1.005',
      '0.335',
    ],
    [
      'a credit of -1.005 rounds to -1.01',
      'USD',
      { model: perUnit('0.335'), quantity: '-3' },
      '-1.01',
      '-1.005',
      '0.335',
    ],
    [
      'KWD rounds to three decimals',
      'KWD',
      { model: perUnit('0.1235'), quantity: '7' },
      '0.865',
      '0.8645',
      '0.1235',
    ],
    [
      'BHD percentage rounds to three decimals',
      'BHD',
      { model: { kind: 'percentage', percent: d('2.5') }, quantity: '10.0005' },
      '0.250',
      '0.2500125',
      '0.0249987501',
    ],
    [
      'a fifth of a cent rounds to nothing',
      'USD',
      { model: apiCalls, quantity: '10001' },
      '0.00',
      '0.002',
      '0',
    ],
    [
      'graduated unit amount is the average price',
      'USD',
      { model: apiCalls, quantity: '100000' },
      '130.00',
      '130',
      '0.0013',
    ],
    [
      'graduated over fractional GB',
      'USD',
      { model: storage, quantity: '12.5' },
      '20.63',
      '20.625',
      '1.6504',
    ],
    [
      'volume unit amount to 10 decimals',
      'USD',
      { model: seats, quantity: '101' },
      '100.80',
      '100.8',
      '0.998019802',
    ],
    [
      'package unit amount to 10 decimals',
      'USD',
      { model: { kind: 'package', packageSize: d('1000'), packagePrice: d('25') }, quantity: '3' },
      '25.00',
      '25',
      '8.3333333333',
    ],
    ['flat ignores the quantity', 'USD', { model: flat('49.99'), quantity: '7' }, '49.99', '49.99', '49.99'],
    [
      'minimum tops up a smaller amount',
      'USD',
      { model: perUnit('1.5'), quantity: '10', minimum: '20' },
      '20.00',
      '20',
      '1.5',
    ],
    [
      'minimum leaves a larger amount alone',
      'USD',
      { model: perUnit('1.5'), quantity: '30', minimum: '20' },
      '45.00',
      '45',
      '1.5',
    ],
    ['minimum on zero usage', 'USD', { model: apiCalls, quantity: '0', minimum: '20' }, '20.00', '20', '0'],
    [
      'prorated minimum: half of 100 over 2.00 of usage',
      'USD',
      { model: perUnit('1'), quantity: '2', minimum: '100', proration: days(15, 30) },
      '50.00',
      '50',
      '1',
    ],
    [
      'prorated minimum: 10 of 31 days of 100',
      'USD',
      { model: apiCalls, quantity: '0', minimum: '100', proration: days(10, 31) },
      '32.26',
      '32.258064516129032258',
      '0',
    ],
    [
      'proration does not change usage',
      'USD',
      { model: perUnit('2'), quantity: '10', proration: days(15, 30) },
      '20.00',
      '20',
      '2',
    ],
    ['flat for 15 of 30 days', 'USD', { model: flat('100'), proration: days(15, 30) }, '50.00', '50', '50'],
    [
      'flat for 10 of 31 days',
      'USD',
      { model: flat('99'), proration: days(10, 31) },
      '31.94',
      '31.935483870967741935',
      '31.94',
    ],
    [
      'flat for 1 of 28 days (February 2026)',
      'USD',
      { model: flat('30'), proration: days(1, 28) },
      '1.07',
      '1.0714285714285714286',
      '1.07',
    ],
    [
      'flat for 15 of 29 days (February 2024)',
      'USD',
      { model: flat('29'), proration: days(15, 29) },
      '15.00',
      '15',
      '15',
    ],
    [
      'flat for 16 of 31 days in yen',
      'JPY',
      { model: flat('1000'), proration: days(16, 31) },
      '516',
      '516.12903225806451613',
      '516',
    ],
    [
      'flat for 14 of 28 days in dinars',
      'KWD',
      { model: flat('10.000'), proration: days(14, 28) },
      '5.000',
      '5',
      '5',
    ],
    ['flat for no days at all', 'USD', { model: flat('100'), proration: days(0, 31) }, '0.00', '0', '0'],
    [
      'prorated flat topped up to its prorated minimum',
      'USD',
      { model: flat('10'), minimum: '25', proration: days(15, 30) },
      '12.50',
      '12.5',
      '12.5',
    ],
  ])('%s', (_name, currency, setup, amount, exact, unitAmount) => {
    const priced = priceCharge(charge(setup), currency);
    expect({
      amount: money(priced.amount, currency),
      exact: priced.exactAmount.toSignificantDigits(20).toFixed(),
      unitAmount: priced.unitAmount.toFixed(),
    }).toEqual({ amount, exact, unitAmount });
  });

  it('keeps the working: steps at the full fee, the proration, the minimum and its top-up, the exact amount', () => {
    const priced = priceCharge(charge({ model: flat('10'), minimum: '25', proration: days(15, 30) }), 'USD');
    expect(priced.working).toEqual({
      model: 'flat',
      quantity: '1',
      steps: [{ label: 'Flat fee', quantity: '1', unitPrice: '10', flatFee: '0', amount: '10' }],
      proration: { activeDays: 15, periodDays: 30 },
      minimum: { minimum: '12.5', topUp: '7.5' },
      exactAmount: '12.5',
    });
  });

  it('leaves minimum and proration out of the working when the charge has none', () => {
    const priced = priceCharge(charge({ model: perUnit('2'), quantity: '3' }), 'USD');
    expect(Object.keys(priced.working).sort()).toEqual(['exactAmount', 'model', 'quantity', 'steps']);
  });

  it('refuses a negative minimum', () => {
    expect(() => priceCharge(charge({ model: perUnit('1'), quantity: '1', minimum: '-5' }), 'USD')).toThrow(
      RangeError,
    );
  });
});
