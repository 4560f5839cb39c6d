import { describe, expect, it } from 'vitest';
import { parseBillingPeriod, previousMonth } from './billing-period.ts';

describe('parseBillingPeriod', () => {
  it.each([
    ['2026-10', '2026-10-01', '2026-11-01', 'October 2026'],
    ['2026-12', '2026-12-01', '2027-01-01', 'December 2026'],
    ['2024-02', '2024-02-01', '2024-03-01', 'February 2024'],
    ['2026-10-01..2026-10-14', '2026-10-01', '2026-10-15', '2026-10-01 – 2026-10-14'],
    ['2024-02-29..2024-02-29', '2024-02-29', '2024-03-01', '2024-02-29 – 2024-02-29'],
  ])('reads %s as [%s, %s)', (text, start, end, label) => {
    expect(parseBillingPeriod(text)).toEqual({ start, end, label });
  });

  it.each([
    ['2026-13', 'is not a month'],
    ['2026-02-29..2026-03-05', 'a date that does not exist'],
    ['2026-10-14..2026-10-01', 'ends before it starts'],
    ['last month', 'expected a month (2026-10)'],
  ])('explains what is wrong with %s', (text, message) => {
    const result = parseBillingPeriod(text);
    expect('error' in result && result.error).toContain(message);
  });
});

describe('previousMonth', () => {
  it.each([
    ['2026-11-21', '2026-10-01', '2026-11-01'],
    ['2026-01-01', '2025-12-01', '2026-01-01'],
    ['2024-03-31', '2024-02-01', '2024-03-01'],
  ])('on %s is [%s, %s)', (today, start, end) => {
    expect(previousMonth(today)).toMatchObject({ start, end });
  });
});
