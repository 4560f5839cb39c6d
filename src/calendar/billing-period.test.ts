import { describe, expect, it } from 'vitest';
import { parseBillingPeriod, previousMonth, unendedPeriod } from './billing-period.ts';

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

describe('unendedPeriod', () => {
  const october = { start: '2026-10-01', end: '2026-11-01', label: 'October 2026' };

  it.each([
    // [now, time zone]: 1 November has begun there, so October is over.
    ['2026-11-01T00:00:00Z', 'Europe/London'],
    ['2026-10-31T23:30:00Z', 'Europe/Berlin'],
    ['2027-03-15T12:00:00Z', 'UTC'],
  ])('is undefined at %s in %s: October 2026 is over', (now, timeZone) => {
    expect(unendedPeriod(october, timeZone, new Date(now))).toBeUndefined();
  });

  it.each([
    // The last day is still running there, or the period has not started yet.
    ['2026-10-31T23:59:59Z', 'Europe/London'],
    ['2026-11-01T03:00:00Z', 'America/New_York'],
    ['2026-10-15T12:00:00Z', 'UTC'],
    ['2026-09-01T00:00:00Z', 'UTC'],
  ])('at %s in %s says October 2026 ends on its last day', (now, timeZone) => {
    const unended = unendedPeriod(october, timeZone, new Date(now));
    expect(unended?.lastDay).toBe('2026-10-31');
    expect(unended?.message).toBe(
      `October 2026 has not ended: it ends on 2026-10-31 (${timeZone}), so usage recorded after now would not be billed`,
    );
  });

  it('reads a range of days by its last day', () => {
    const days = parseBillingPeriod('2026-10-01..2026-10-14');
    if ('error' in days) throw new Error(days.error);
    expect(unendedPeriod(days, 'UTC', new Date('2026-10-14T18:00:00Z'))?.lastDay).toBe('2026-10-14');
    expect(unendedPeriod(days, 'UTC', new Date('2026-10-15T00:00:00Z'))).toBeUndefined();
  });
});
