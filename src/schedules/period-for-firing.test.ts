import { describe, expect, it } from 'vitest';
import type { SchedulePeriod } from '../billing-config/billing-config.ts';
import { periodForFiring } from './period-for-firing.ts';

const bill = (period: SchedulePeriod, timezone: string, firedAt: string) => {
  const { start, end, label } = periodForFiring({ period, timezone }, new Date(firedAt));
  return { start, end, label };
};

describe('periodForFiring', () => {
  it.each([
    // month ends
    ['on the 1st', 'Europe/London', '2026-11-01T06:00:00Z', '2026-10-01', '2026-11-01', 'October 2026'],
    ['on 31 January', 'Europe/London', '2026-01-31T12:00:00Z', '2025-12-01', '2026-01-01', 'December 2025'],
    [
      'at 00:00 BST on 1 May (23:00 UTC on 30 April)',
      'Europe/London',
      '2026-04-30T23:00:00Z',
      '2026-04-01',
      '2026-05-01',
      'April 2026',
    ],
    ['on 1 March 2026', 'Europe/London', '2026-03-01T06:00:00Z', '2026-02-01', '2026-03-01', 'February 2026'],
    [
      'on 1 March of a leap year',
      'Europe/London',
      '2028-03-01T06:00:00Z',
      '2028-02-01',
      '2028-03-01',
      'February 2028',
    ],
    ['on 1 January', 'Europe/London', '2027-01-01T00:00:00Z', '2026-12-01', '2027-01-01', 'December 2026'],
    // the date is the schedule's, not UTC's
    [
      'late on 31 Oct in London',
      'Europe/London',
      '2026-10-31T23:30:00Z',
      '2026-09-01',
      '2026-10-01',
      'September 2026',
    ],
    [
      'the same instant in Tokyo',
      'Asia/Tokyo',
      '2026-10-31T23:30:00Z',
      '2026-10-01',
      '2026-11-01',
      'October 2026',
    ],
    [
      'just before midnight in New York',
      'America/New_York',
      '2026-11-01T03:59:00Z',
      '2026-09-01',
      '2026-10-01',
      'September 2026',
    ],
    [
      'at midnight in New York',
      'America/New_York',
      '2026-11-01T04:00:00Z',
      '2026-10-01',
      '2026-11-01',
      'October 2026',
    ],
  ])('previous_month %s', (_when, timezone, firedAt, start, end, label) => {
    expect(bill('previous_month', timezone, firedAt)).toEqual({ start, end, label });
  });

  it.each([
    ['on a Monday', 'Europe/London', '2026-11-02T06:00:00Z', '2026-10-26', '2026-11-02'],
    [
      'on a Sunday (still in the week after)',
      'Europe/London',
      '2026-11-08T22:00:00Z',
      '2026-10-26',
      '2026-11-02',
    ],
    [
      'late Sunday in New York is Sunday there',
      'America/New_York',
      '2026-11-09T04:30:00Z',
      '2026-10-26',
      '2026-11-02',
    ],
    [
      'across the year end (ISO week 53)',
      'Europe/London',
      '2027-01-04T06:00:00Z',
      '2026-12-28',
      '2027-01-04',
    ],
    ['across a leap day', 'Europe/London', '2028-03-06T06:00:00Z', '2028-02-28', '2028-03-06'],
    ['on the spring-forward Sunday', 'Europe/London', '2026-03-29T01:30:00Z', '2026-03-16', '2026-03-23'],
  ])('previous_week (Monday to Sunday) %s', (_when, timezone, firedAt, start, end) => {
    expect(bill('previous_week', timezone, firedAt)).toMatchObject({ start, end });
  });

  it.each([
    ['on 1 March 2026', 'Europe/London', '2026-03-01T00:30:00Z', '2026-02-28'],
    ['on the leap day', 'Europe/London', '2028-02-29T06:00:00Z', '2028-02-28'],
    ['the day after the leap day', 'Europe/London', '2028-03-01T00:30:00Z', '2028-02-29'],
    ['on 1 January', 'UTC', '2027-01-01T00:00:00Z', '2026-12-31'],
    // DST: a skipped 01:30 fires at 02:30 BST; a repeated 01:30 bills the same day both times
    ['London spring forward (02:30 BST)', 'Europe/London', '2026-03-29T01:30:00Z', '2026-03-28'],
    ['London fall back, first 01:30 (BST)', 'Europe/London', '2026-10-25T00:30:00Z', '2026-10-24'],
    ['London fall back, second 01:30 (GMT)', 'Europe/London', '2026-10-25T01:30:00Z', '2026-10-24'],
    ['New York spring forward (03:30 EDT)', 'America/New_York', '2026-03-08T07:30:00Z', '2026-03-07'],
    ['New York fall back, first 01:30 (EDT)', 'America/New_York', '2026-11-01T05:30:00Z', '2026-10-31'],
    ['New York fall back, second 01:30 (EST)', 'America/New_York', '2026-11-01T06:30:00Z', '2026-10-31'],
  ])('previous_day %s', (_when, timezone, firedAt, start) => {
    const period = bill('previous_day', timezone, firedAt);
    expect(period.start).toBe(start);
    expect(new Date(`${period.end}T00:00:00Z`).getTime() - new Date(`${start}T00:00:00Z`).getTime()).toBe(
      86_400_000,
    );
  });
});
