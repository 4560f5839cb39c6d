import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { Decimal } from '../../money/decimal.ts';
import { fromXeroAmount, toXeroNumber } from './xero-amounts.ts';

describe('toXeroNumber', () => {
  it.each([
    ['12.50', '12.5'],
    ['0.1', '0.1'],
    ['0.00045', '0.00045'],
    ['-3', '-3'],
    ['123456789012.34', '123456789012.34'],
  ])('carries %s exactly into the JSON body (%s)', (text, json) => {
    expect(JSON.stringify(toXeroNumber(text))).toBe(json);
  });

  it.each(['1234567890123.4567', '0.12345678901234567', 'abc', '1e5', ''])(
    'refuses %s rather than round it',
    (text) => {
      expect(toXeroNumber(text)).toBeUndefined();
    },
  );

  it('writes the same decimal into the JSON body for any amount of up to 15 digits', () => {
    const decimalText = fc
      .tuple(fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }), fc.integer({ min: 0, max: 10 }))
      .map(([digits, scale]) =>
        new Decimal(digits.toString()).dividedBy(new Decimal(10).pow(scale)).toFixed(scale),
      );
    fc.assert(
      fc.property(decimalText, (text) => {
        const sent = JSON.stringify({ amount: toXeroNumber(text) });
        const read = new Decimal((JSON.parse(sent) as { amount: number }).amount.toString());
        expect(read.equals(new Decimal(text))).toBe(true);
      }),
    );
  });
});

describe('fromXeroAmount', () => {
  it.each([
    [120, 'GBP', '120.00'],
    [0.1 + 0.2 - 0.3 + 58.8, 'GBP', '58.80'],
    [1200, 'JPY', '1200'],
    [24.02, 'USD', '24.02'],
  ])('reads %s %s as %s', (amount, currency, expected) => {
    expect(fromXeroAmount(amount, currency)).toBe(expected);
  });
});
