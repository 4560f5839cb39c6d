import type { BillingSchedule } from '../billing-config/billing-config.ts';
import { periodLabel, previousMonth, type BillingPeriod } from '../calendar/billing-period.ts';
import { addDays, todayIn } from '../calendar/calendar-date.ts';

/**
 * The period a firing bills: the calendar month, ISO week (Monday to Sunday) or day before the date
 * it is in the schedule's time zone at `firedAt`. Every firing on one local date bills the same period,
 * which is what makes a run once per (schedule, period) hold through DST changes.
 */
export function periodForFiring(
  schedule: Pick<BillingSchedule, 'timezone' | 'period'>,
  firedAt: Date,
): BillingPeriod {
  const today = todayIn(schedule.timezone, firedAt);
  switch (schedule.period) {
    case 'previous_month':
      return previousMonth(today);
    case 'previous_week': {
      const monday = addDays(today, -isoWeekdayIndex(today));
      return period(addDays(monday, -7), monday);
    }
    case 'previous_day':
      return period(addDays(today, -1), today);
  }
}

function period(start: string, end: string): BillingPeriod {
  return { start, end, label: periodLabel(start, end) };
}

/** Monday 0 … Sunday 6. */
function isoWeekdayIndex(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}
