import { describe, expect, it } from 'vitest';
import { isCurrencyCode, minorUnits } from './currency.ts';
import { Decimal, parseDecimal, sum } from './decimal.ts';
import { formatMoney } from './format-money.ts';
import { isRoundedFor, roundMoney, toMoneyString } from './rounding.ts';

describe('minorUnits', () => {
  it.each([
    ['JPY', 0],
    ['KRW', 0],
    ['USD', 2],
    ['EUR', 2],
    ['GBP', 2],
    ['KWD', 3],
    ['BHD', 3],
  ])('%s has %i decimals', (currency, digits) => {
    expect(minorUnits(currency)).toBe(digits);
  });

  it('knows real ISO codes and refuses made-up ones', () => {
    expect(isCurrencyCode('CHF')).toBe(true);
    expect(isCurrencyCode('XYZ')).toBe(false);
    expect(isCurrencyCode('usd')).toBe(false);
  });
});

describe('roundMoney', () => {
  it.each([
    ['2.345', 'USD', '2.35'],
    ['-2.345', 'USD', '-2.35'],
    ['2.344999', 'USD', '2.34'],
    ['12.5', 'JPY', '13'],
    ['1.2345', 'KWD', '1.235'],
    ['0.0049', 'EUR', '0'],
  ])('%s %s → %s (half away from zero)', (amount, currency, expected) => {
    expect(roundMoney(new Decimal(amount), currency).toFixed()).toBe(expected);
  });

  it('keeps 30-digit amounts exact', () => {
    const huge = new Decimal('123456789012345678901234567.891');
    expect(roundMoney(huge, 'USD').toFixed()).toBe('123456789012345678901234567.89');
    expect(huge.times('0.000001').toFixed()).toBe('123456789012345678901.234567891');
  });
});

describe('money strings', () => {
  it('writes fixed-point strings with the currency decimals', () => {
    expect(toMoneyString(new Decimal('12.5'), 'USD')).toBe('12.50');
    expect(toMoneyString(new Decimal('1200'), 'JPY')).toBe('1200');
    expect(toMoneyString(new Decimal('1.25'), 'BHD')).toBe('1.250');
    expect(isRoundedFor(new Decimal('1.255'), 'USD')).toBe(false);
    expect(isRoundedFor(new Decimal('1.255'), 'KWD')).toBe(true);
  });

  it('parses only plain decimal strings', () => {
    expect(parseDecimal(' 0.000125 ')?.toFixed()).toBe('0.000125');
    expect(parseDecimal('1e3')).toBeUndefined();
    expect(parseDecimal('12,50')).toBeUndefined();
    expect(parseDecimal('')).toBeUndefined();
    expect(sum(['1.10', '2.20', '3.30'].map((v) => new Decimal(v))).toFixed()).toBe('6.6');
  });

  it('formats for people with the currency sign and exact digits', () => {
    expect(formatMoney(new Decimal('1234.5'), 'GBP')).toBe('£1,234.50');
    expect(formatMoney(new Decimal('1200'), 'JPY')).toBe('JP¥1,200');
    expect(formatMoney(new Decimal('9007199254740993.01'), 'USD')).toBe('US$9,007,199,254,740,993.01');
  });
});
