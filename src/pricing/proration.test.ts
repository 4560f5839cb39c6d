import { describe, expect, it } from 'vitest';
import { Decimal } from '../money/decimal.ts';
import { daysBetween } from '../calendar/calendar-date.ts';
import { prorate, prorationFor } from './proration.ts';

const january2026 = { start: '2026-01-01', end: '2026-02-01' };

describe('daysBetween', () => {
  it.each([
    ['2024-02-01', '2024-03-01', 29],
    ['2026-02-01', '2026-03-01', 28],
    ['2026-04-01', '2026-05-01', 30],
    ['2026-01-01', '2026-02-01', 31],
    ['2025-12-31', '2026-01-01', 1],
    ['2024-01-01', '2025-01-01', 366],
    ['2026-03-29', '2026-03-30', 1],
    ['2026-01-10', '2026-01-10', 0],
    ['2026-01-20', '2026-01-10', -10],
  ])('%s → %s is %i days', (a, b, days) => {
    expect(daysBetween(a, b)).toBe(days);
  });

  it.each(['2026-02-30', '2026-13-01', '2026-2-3', '2026-01-01T00:00:00Z', ''])('refuses %j', (date) => {
    expect(() => daysBetween(date, '2026-01-01')).toThrow(RangeError);
  });
});

describe('prorationFor', () => {
  it.each<[string, { start: string; end: string }, { from: string; until: string | null }, number, number]>([
    ['starts mid-January (31 days)', january2026, { from: '2026-01-16', until: null }, 16, 31],
    [
      'starts mid-April (30 days)',
      { start: '2026-04-01', end: '2026-05-01' },
      { from: '2026-04-11', until: null },
      20,
      30,
    ],
    [
      'starts mid-February 2024 (29 days)',
      { start: '2024-02-01', end: '2024-03-01' },
      { from: '2024-02-15', until: null },
      15,
      29,
    ],
    [
      'starts mid-February 2026 (28 days)',
      { start: '2026-02-01', end: '2026-03-01' },
      { from: '2026-02-15', until: null },
      14,
      28,
    ],
    ['starts on the last day', january2026, { from: '2026-01-31', until: null }, 1, 31],
    ['starts and ends inside the period', january2026, { from: '2026-01-10', until: '2026-01-20' }, 10, 31],
    ['ends inside the period', january2026, { from: '2025-01-01', until: '2026-01-11' }, 10, 31],
    ['ends after the first day', january2026, { from: '2025-01-01', until: '2026-01-02' }, 1, 31],
    ['ended before the period', january2026, { from: '2025-01-01', until: '2025-12-15' }, 0, 31],
    ['ended the day the period starts', january2026, { from: '2025-01-01', until: '2026-01-01' }, 0, 31],
    ['starts the day after the period', january2026, { from: '2026-02-01', until: null }, 0, 31],
  ])('%s: %i of %i days', (_name, period, active, activeDays, periodDays) => {
    expect(prorationFor(period, active)).toEqual({ activeDays, periodDays });
  });

  it.each<[string, { from: string; until: string | null }]>([
    ['started before and still running', { from: '2025-06-01', until: null }],
    ['exactly the period', { from: '2026-01-01', until: '2026-02-01' }],
    ['started before and ends after', { from: '2025-06-01', until: '2026-06-01' }],
  ])('is undefined when active all period: %s', (_name, active) => {
    expect(prorationFor(january2026, active)).toBeUndefined();
  });

  it('refuses a period that does not end after it starts, and a subscription that ends before it starts', () => {
    expect(() =>
      prorationFor({ start: '2026-02-01', end: '2026-02-01' }, { from: '2026-01-01', until: null }),
    ).toThrow(RangeError);
    expect(() => prorationFor(january2026, { from: '2026-01-20', until: '2026-01-10' })).toThrow(RangeError);
  });
});

describe('prorate', () => {
  it('multiplies by active days over period days, without rounding', () => {
    expect(prorate(new Decimal('100'), { activeDays: 15, periodDays: 30 }).toFixed()).toBe('50');
    expect(prorate(new Decimal('28'), { activeDays: 1, periodDays: 28 }).toFixed()).toBe('1');
    expect(prorate(new Decimal('100'), { activeDays: 1, periodDays: 3 }).toFixed(20)).toBe(
      '33.33333333333333333333',
    );
  });

  it.each([
    { activeDays: 32, periodDays: 31 },
    { activeDays: -1, periodDays: 31 },
    { activeDays: 1, periodDays: 0 },
    { activeDays: 1.5, periodDays: 31 },
  ])('refuses %j', (proration) => {
    expect(() => prorate(new Decimal('10'), proration)).toThrow(RangeError);
  });
});
