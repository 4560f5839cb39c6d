import { addDays, isCalendarDate, startOfNextMonth, todayIn } from './calendar-date.ts';

/** A billing period: `start` is its first day, `end` the first day after it (exclusive). */
export interface BillingPeriod {
  start: string;
  end: string;
  /** "October 2026", or "2026-10-01 – 2026-10-14". */
  label: string;
}

const MONTH = /^(\d{4})-(\d{2})$/;
const RANGE = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;

/**
 * '2026-10' (a calendar month) or '2026-10-01..2026-10-14' (first and last day, both included).
 * Returns an error message a person can act on instead of throwing.
 */
export function parseBillingPeriod(text: string): BillingPeriod | { error: string } {
  const trimmed = text.trim();
  const month = MONTH.exec(trimmed);
  if (month) {
    const start = `${trimmed}-01`;
    if (!isCalendarDate(start))
      return { error: `"${trimmed}" is not a month; expected YYYY-MM such as 2026-10` };
    return { start, end: startOfNextMonth(start), label: monthLabel(start) };
  }
  const range = RANGE.exec(trimmed);
  if (range?.[1] !== undefined && range[2] !== undefined) {
    const [first, last] = [range[1], range[2]];
    if (!isCalendarDate(first) || !isCalendarDate(last)) {
      return { error: `"${trimmed}" has a date that does not exist` };
    }
    if (last < first) return { error: `"${trimmed}" ends before it starts` };
    return { start: first, end: addDays(last, 1), label: `${first} – ${last}` };
  }
  return {
    error: `"${trimmed.slice(0, 40)}" is not a period; expected a month (2026-10) or a range of days (2026-10-01..2026-10-14)`,
  };
}

/** A period whose last day has not ended yet in the billing time zone. */
export interface UnendedPeriod {
  /** The period's last day ('2026-12-31'). */
  lastDay: string;
  /** "December 2026 has not ended: it ends on 2026-12-31 (Europe/London); …", without what to do. */
  message: string;
}

/**
 * Whether `period` is still running (or still to come) at `now` in `timeZone`, or undefined once its
 * last day is over there. Drafting it now would bill only part of its usage, so edges ask to confirm.
 */
export function unendedPeriod(period: BillingPeriod, timeZone: string, now: Date): UnendedPeriod | undefined {
  if (todayIn(timeZone, now) >= period.end) return undefined;
  const lastDay = addDays(period.end, -1);
  return {
    lastDay,
    message: `${period.label} has not ended: it ends on ${lastDay} (${timeZone}), so usage recorded after now would not be billed`,
  };
}

/** The calendar month before the one containing `today`. */
export function previousMonth(today: string): BillingPeriod {
  const start = `${today.slice(0, 7)}-01`;
  const previousStart = `${addDays(start, -1).slice(0, 7)}-01`;
  return { start: previousStart, end: start, label: monthLabel(previousStart) };
}

function monthLabel(start: string): string {
  return new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${start}T00:00:00Z`),
  );
}

/** The label of a saved period: "October 2026" for a calendar month, else "2026-10-01 – 2026-10-14". */
export function periodLabel(start: string, end: string): string {
  if (start.endsWith('-01') && end === startOfNextMonth(start)) return monthLabel(start);
  return `${start} – ${addDays(end, -1)}`;
}
