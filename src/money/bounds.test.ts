import { describe, expect, it } from 'vitest';
import {
  amountProblem,
  quantityProblem,
  rateLooksLikeFraction,
  rateProblem,
  unitPriceProblem,
} from './bounds.ts';
import { Decimal } from './decimal.ts';

const d = (text: string) => new Decimal(text);

describe('quantityProblem', () => {
  it.each(['0', '12.5', '-3', '0.000000000001', '999999999999999', '-999999999999999'])(
    'accepts %s',
    (value) => {
      expect(quantityProblem(d(value))).toBeUndefined();
    },
  );

  it('refuses a 40-digit quantity, saying what the largest is', () => {
    expect(quantityProblem(d('1'.repeat(40)))).toMatch(/beyond 999,999,999,999,999, the largest quantity/);
    expect(quantityProblem(d('-1000000000000000'))).toMatch(/beyond/);
  });

  it('refuses more than 12 decimal places', () => {
    expect(quantityProblem(d('0.0000000000001'))).toBe(
      'has 13 decimal places; a quantity may have at most 12, so round it',
    );
  });
});

describe('unitPriceProblem', () => {
  it('allows prices finer than the currency (0.0015 per call)', () => {
    expect(unitPriceProblem(d('0.0015'))).toBeUndefined();
    expect(unitPriceProblem(d('999999999999.999999999999'))).toBeUndefined();
  });

  it('refuses 13 decimal places and 13 digits', () => {
    expect(unitPriceProblem(d('0.0000000000015'))).toMatch(/13 decimal places; a unit price/);
    expect(unitPriceProblem(d('1000000000000'))).toMatch(/largest unit price/);
  });
});

describe('amountProblem', () => {
  it.each([
    ['5000', 'JPY'],
    ['12.50', 'USD'],
    ['12.5', 'USD'],
    ['1.250', 'KWD'],
    ['999999999999.99', 'EUR'],
  ])('accepts %s %s', (value, currency) => {
    expect(amountProblem(d(value), currency)).toBeUndefined();
  });

  it('refuses JPY 5000.5: JPY has no minor unit', () => {
    expect(amountProblem(d('5000.5'), 'JPY')).toBe(
      'has 1 decimal place, but JPY amounts have none (its minor unit); write a whole number of minor units, such as 5001',
    );
  });

  it('refuses a third decimal in USD', () => {
    expect(amountProblem(d('10.005'), 'USD')).toMatch(/USD amounts have at most 2/);
  });

  it('refuses 13 digits before the point', () => {
    expect(amountProblem(d('1000000000000'), 'USD')).toMatch(/beyond 999,999,999,999, the largest amount/);
  });

  it('without a currency, checks only the 12 decimal places and the size', () => {
    expect(amountProblem(d('10.005'))).toBeUndefined();
    expect(amountProblem(d('0.0000000000001'))).toMatch(/13 decimal places/);
  });
});

describe('rateProblem', () => {
  it.each(['0', '20', '100', '7.7', '0.5'])('accepts %s', (value) => {
    expect(rateProblem(d(value))).toBeUndefined();
  });

  it.each(['150', '-1', '100.01'])('refuses %s', (value) => {
    expect(rateProblem(d(value))).toBe(
      'is not between 0 and 100; write the rate in percent, such as 20 for 20%',
    );
  });

  it('warns about 0.2 (meant 20?) but not about 0 or 20', () => {
    expect(rateLooksLikeFraction(d('0.2'))).toBe(true);
    expect(rateLooksLikeFraction(d('0'))).toBe(false);
    expect(rateLooksLikeFraction(d('20'))).toBe(false);
  });
});
