import { describe, expect, it } from 'vitest';
import {
  formatAmount,
  formatDeduction,
  formatQuantity,
  formatTaxRate,
  formatUnitPrice,
} from './invoice-figures.ts';

describe('invoice figures', () => {
  it.each([
    ['1234.5', 'GBP', '£1,234.50'],
    ['1200', 'JPY', 'JP¥1,200'],
    ['1.25', 'KWD', 'KWD\u00a01.250'],
    ['-10', 'EUR', '-€10.00'],
    ['1000', 'INR', '₹1,000.00'],
  ])('formats %s %s as %s', (amount, currency, expected) => {
    expect(formatAmount(amount, currency)).toBe(expected);
  });

  it('shows a discount as money taken off', () => {
    expect(formatDeduction('5', 'GBP')).toBe('-£5.00');
  });

  it.each([
    ['0.000125', 'GBP', '£0.000125'],
    ['12.5', 'GBP', '£12.50'],
    ['0.5', 'JPY', 'JP¥0.5'],
    ['3', 'JPY', 'JP¥3'],
    ['0.1', 'KWD', 'KWD\u00a00.100'],
  ])('keeps every digit of the unit price %s %s: %s', (amount, currency, expected) => {
    expect(formatUnitPrice(amount, currency)).toBe(expected);
  });

  it.each([
    ['1250000', '1,250,000'],
    ['2.500', '2.5'],
    ['0.000125', '0.000125'],
  ])('formats the quantity %s as %s', (quantity, expected) => {
    expect(formatQuantity(quantity)).toBe(expected);
  });

  it.each([
    ['20', '20%'],
    ['5.50', '5.5%'],
    ['0', '0%'],
  ])('formats the tax rate %s as %s', (rate, expected) => {
    expect(formatTaxRate(rate)).toBe(expected);
  });
});
