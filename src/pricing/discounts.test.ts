import { describe, expect, it } from 'vitest';
import { Decimal } from '../money/decimal.ts';
import { isRoundedFor, toMoneyString } from '../money/rounding.ts';
import {
  allocateInvoiceDiscount,
  discountLabel,
  lineDiscountAmount,
  shareByLargestRemainder,
} from './discounts.ts';
import type { Discount } from './types.ts';

const d = (value: string) => new Decimal(value);
const percent = (value: string): Discount => ({ kind: 'percent', percent: d(value) });
const fixed = (value: string): Discount => ({ kind: 'amount', amount: d(value) });
/** The amount as the currency writes it; flags one that was not rounded. */
const money = (amount: Decimal, currency: string) =>
  isRoundedFor(amount, currency) ? toMoneyString(amount, currency) : `unrounded ${amount.toFixed()}`;

describe('lineDiscountAmount', () => {
  it.each<[string, string, string, Discount | undefined, string]>([
    ['10% of 99.99 rounds up to a cent', 'USD', '99.99', percent('10'), '10.00'],
    ['12.5% of 0.04 is half a cent, rounded away from zero', 'USD', '0.04', percent('12.5'), '0.01'],
    ['33% of one cent rounds to nothing', 'USD', '0.01', percent('33'), '0.00'],
    ['15% of ¥999 rounds to whole yen', 'JPY', '999', percent('15'), '150'],
    ['7.5% of KWD 1.234 rounds to fils', 'KWD', '1.234', percent('7.5'), '0.093'],
    ['100% takes the whole line', 'USD', '20.00', percent('100'), '20.00'],
    ['a fixed discount below the line', 'USD', '20.00', fixed('5'), '5.00'],
    ['a fixed discount larger than the line stops at the line', 'USD', '20.00', fixed('50'), '20.00'],
    ['a fixed discount finer than the currency is rounded', 'USD', '20.00', fixed('5.555'), '5.56'],
    ['no discount on a zero line', 'USD', '0.00', percent('10'), '0.00'],
    ['no percent discount on a credit line', 'USD', '-10.00', percent('10'), '0.00'],
    ['no fixed discount on a credit line', 'USD', '-10.00', fixed('5'), '0.00'],
    ['no discount set', 'USD', '20.00', undefined, '0.00'],
  ])('%s', (_name, currency, amount, discount, expected) => {
    expect(money(lineDiscountAmount(d(amount), discount, currency), currency)).toBe(expected);
  });

  it.each<[string, Discount]>([
    ['a negative percent', percent('-5')],
    ['more than 100%', percent('100.01')],
    ['a negative amount', fixed('-1')],
  ])('refuses %s', (_name, discount) => {
    expect(() => lineDiscountAmount(d('10'), discount, 'USD')).toThrow(RangeError);
  });

  it('labels a discount as it reads on the working', () => {
    expect(discountLabel(percent('10'), 'USD')).toBe('10% off');
    expect(discountLabel(percent('12.5'), 'USD')).toBe('12.5% off');
    expect(discountLabel(fixed('5'), 'GBP')).toBe('5.00 off');
    expect(discountLabel(fixed('500'), 'JPY')).toBe('500 off');
  });
});

describe('allocateInvoiceDiscount', () => {
  it.each<[string, string, Discount, string[], string[]]>([
    [
      '10.00 over three equal lines: the odd cent to the first',
      'USD',
      fixed('10.00'),
      ['10.00', '10.00', '10.00'],
      ['3.34', '3.33', '3.33'],
    ],
    [
      'two cents over three equal lines: ties go to the earlier lines',
      'USD',
      fixed('0.02'),
      ['1.00', '1.00', '1.00'],
      ['0.01', '0.01', '0.00'],
    ],
    ['one cent over two equal lines', 'USD', fixed('0.01'), ['5.00', '5.00'], ['0.01', '0.00']],
    [
      'the leftover cent goes to the largest remainder',
      'USD',
      fixed('1.00'),
      ['0.01', '100.00'],
      ['0.00', '1.00'],
    ],
    ['¥100 over three equal lines', 'JPY', fixed('100'), ['100', '100', '100'], ['34', '33', '33']],
    ['KWD 1.000 over 2.000 and 1.000', 'KWD', fixed('1.000'), ['2.000', '1.000'], ['0.667', '0.333']],
    [
      '10% over 33.33, 33.33, 33.34',
      'USD',
      percent('10'),
      ['33.33', '33.33', '33.34'],
      ['3.33', '3.33', '3.34'],
    ],
    ['15% over 19.99 and 0.01', 'USD', percent('15'), ['19.99', '0.01'], ['3.00', '0.00']],
    [
      '12.5% of 0.09 is one cent in total',
      'USD',
      percent('12.5'),
      ['0.03', '0.03', '0.03'],
      ['0.01', '0.00', '0.00'],
    ],
    [
      'credit and zero lines get no share',
      'USD',
      fixed('5.00'),
      ['10.00', '-5.00', '0.00', '10.00'],
      ['2.50', '0.00', '0.00', '2.50'],
    ],
    [
      'a fixed discount above the lines stops at each line',
      'USD',
      fixed('100.00'),
      ['10.00', '20.00'],
      ['10.00', '20.00'],
    ],
    ['nothing to discount', 'USD', fixed('10.00'), ['0.00', '-3.00'], ['0.00', '0.00']],
  ])('%s', (_name, currency, discount, bases, expected) => {
    const shares = allocateInvoiceDiscount(discount, bases.map(d), currency);
    expect(shares.map((share) => money(share, currency))).toEqual(expected);
  });
});

describe('shareByLargestRemainder', () => {
  it('refuses to share more than the bases hold, or bases finer than the currency', () => {
    expect(() => shareByLargestRemainder(d('3.01'), [d('1'), d('2')], 'USD')).toThrow(RangeError);
    expect(() => shareByLargestRemainder(d('1'), [d('1.005'), d('2')], 'USD')).toThrow(RangeError);
  });

  it('shares exactly across amounts beyond 2^53 minor units', () => {
    const shares = shareByLargestRemainder(
      d('100000000000000000.00'),
      [d('100000000000000000.00'), d('100000000000000000.00'), d('100000000000000000.00')],
      'USD',
    );
    expect(shares.map((share) => share.toFixed(2))).toEqual([
      '33333333333333333.34',
      '33333333333333333.33',
      '33333333333333333.33',
    ]);
  });
});
