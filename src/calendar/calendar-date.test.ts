import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  isCalendarDate,
  lastDayOfMonth,
  startOfNextMonth,
  todayIn,
} from './calendar-date.ts';

describe('calendar dates', () => {
  it.each([
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-10-25', 7, '2026-11-01'],
  ])('%s plus %i day(s) is %s, whatever the clocks do', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it('counts days across month ends and leap years', () => {
    expect(daysBetween('2026-10-01', '2026-11-01')).toBe(31);
    expect(daysBetween('2024-02-01', '2024-03-01')).toBe(29);
    expect(daysBetween('2026-02-01', '2026-03-01')).toBe(28);
    expect(daysBetween('2026-11-01', '2026-10-01')).toBe(-31);
  });

  it('finds month ends', () => {
    expect(lastDayOfMonth('2024-02-10')).toBe('2024-02-29');
    expect(lastDayOfMonth('2026-02-10')).toBe('2026-02-28');
    expect(startOfNextMonth('2026-12-15')).toBe('2027-01-01');
  });

  it('refuses dates that do not exist', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
    expect(isCalendarDate('2026-04-31')).toBe(false);
    expect(isCalendarDate('2026-00-10')).toBe(false);
    expect(isCalendarDate('2026-01-00')).toBe(false);
    expect(isCalendarDate('1900-02-29')).toBe(false);
    expect(isCalendarDate('2000-02-29')).toBe(true);
    expect(isCalendarDate('0050-06-15')).toBe(true);
    expect(isCalendarDate('2026-06-15 ')).toBe(false);
  });

  it('turns an instant into the local date of a time zone', () => {
    const instant = new Date('2026-10-31T23:30:00Z');
    expect(todayIn('UTC', instant)).toBe('2026-10-31');
    expect(todayIn('Europe/Berlin', instant)).toBe('2026-11-01');
    expect(todayIn('America/Los_Angeles', instant)).toBe('2026-10-31');
  });
});
